// Scrapes HTTP metric endpoints on the main thread at a fixed interval during warmup and profiling,
// plus one scrape at each phase boundary and a final one when profiling ends, so the window's deltas
// start and end exactly at the phase. Never on the load workers; never more than one scrape per
// endpoint in flight; each bounded by a timeout. A failed scrape is handed to the sink (recorded) and
// warned about once per endpoint; it never stops the run.
import { epochNs } from "../runtime/clock.ts";
import type { ScrapePhase } from "../store/server-metrics-db.ts";

export interface ScrapeResult {
  url: string;
  time_ns: number;
  phase: ScrapePhase;
  latency_ms: number;
  /** The body when the endpoint answered 2xx. */
  body: string | null;
  status: number | null;
  error: string | null;
}

export interface ScraperOptions {
  urls: readonly string[];
  intervalMs: number;
  timeoutMs: number;
  /** Gets every attempt, failed or not (stores it). */
  sink: (r: ScrapeResult) => void;
  /** One line per endpoint, at its first failure. */
  warn: (line: string) => void;
  /** What the warning calls these endpoints ("server metrics", "GPU telemetry"). */
  what: string;
  /** Endpoints tried only quietly: the first failure drops them without a word (default exporters that may not exist). */
  quiet?: ReadonlySet<string>;
  /** Endpoints guessed rather than given (each --url's /metrics): a 404 before any answer means the server has none; said once, dropped. */
  guessed?: ReadonlySet<string>;
  info?: (line: string) => void;
  fetchImpl?: typeof fetch;
}

/** Bounds what one scrape may read (a runaway endpoint must not fill memory). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Why an answer whose Content-Type is `contentType` is no metrics text (its body is then not read), or
 * null when it may be one. Prometheus and OpenMetrics text come as text/plain or
 * application/openmetrics-text, and some exporters send no type at all; an event stream (a catch-all
 * route answering every path with a completion) would be read until the timeout, HTML and JSON are
 * pages and APIs.
 */
export function notMetricsText(contentType: string | null): string | null {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return NOT_METRICS_TYPES.has(type) ? `Content-Type ${type}, not metrics text` : null;
}

const NOT_METRICS_TYPES = new Set(["text/event-stream", "text/html", "application/json"]);

export class MetricScraper {
  private phase: ScrapePhase = "baseline";
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly warned = new Set<string>();
  private readonly dropped = new Set<string>();
  private readonly answered = new Set<string>();
  private stopped = false;

  constructor(private readonly o: ScraperOptions) {}

  /** First scrape now (the baseline), then one every interval. */
  start(): void {
    this.scrapeAll(false);
    this.timer = setInterval(() => this.scrapeAll(false), this.o.intervalMs);
    // The scraper never keeps the process alive by itself.
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** A phase starts: a boundary scrape in the phase that ends, then scrapes count in the new one. */
  phaseStarted(phase: "warmup" | "profiling"): void {
    if (this.stopped) return;
    this.scrapeAll(true);
    this.phase = phase;
  }

  /** Profiling is over: waits for scrapes in flight, takes the final one (closing the window), stops. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.inFlight.values());
    this.phase = "profiling";
    this.scrapeAll(true);
    await Promise.all(this.inFlight.values());
    this.stopped = true;
  }

  /** Resolves when the scrapes out now have ended. */
  async settled(): Promise<void> {
    await Promise.all(this.inFlight.values());
  }

  /** Stops without a final scrape (nothing worth scraping turned up). */
  abandon(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.stopped = true;
  }

  /** Endpoints still scraped (the quiet ones that never answered are dropped). */
  get activeUrls(): string[] {
    return this.o.urls.filter((u) => !this.dropped.has(u));
  }

  /** Endpoints that answered at least once. */
  get answeredUrls(): string[] {
    return this.o.urls.filter((u) => this.answered.has(u));
  }

  private scrapeAll(boundary: boolean): void {
    if (this.stopped) return;
    const phase = this.phase;
    for (const url of this.o.urls) {
      if (this.dropped.has(url)) continue;
      const prev = this.inFlight.get(url);
      // A periodic scrape is skipped while one is still out; a boundary scrape queues behind it.
      if (prev !== undefined && !boundary) continue;
      // One queued behind a scrape whose answer dropped the endpoint is not sent.
      const p = (prev ?? Promise.resolve()).then(() => (this.dropped.has(url) ? undefined : this.scrapeOne(url, phase)));
      const tracked = p.finally(() => {
        if (this.inFlight.get(url) === tracked) this.inFlight.delete(url);
      });
      this.inFlight.set(url, tracked);
    }
  }

  private async scrapeOne(url: string, phase: ScrapePhase): Promise<void> {
    const time_ns = epochNs();
    const t0 = performance.now();
    let status: number | null = null;
    let body: string | null = null;
    let error: string | null = null;
    /** The answer's Content-Type says it is no metrics text (notMetricsText), or null. */
    let notText: string | null = null;
    try {
      const res = await (this.o.fetchImpl ?? fetch)(url, {
        signal: AbortSignal.timeout(this.o.timeoutMs),
        headers: { accept: "text/plain;version=0.0.4;q=1,*/*;q=0.1" },
      });
      status = res.status;
      notText = res.ok ? notMetricsText(res.headers.get("content-type")) : null;
      if (notText !== null) {
        error = notText;
        await res.body?.cancel().catch(() => {});
      } else {
        const text = await res.text();
        if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
        else if (text.length > MAX_BODY_BYTES) error = `body over ${MAX_BODY_BYTES} bytes`;
        else body = text;
      }
    } catch (e) {
      error = describeFetchError(e, this.o.timeoutMs);
    }
    const latency_ms = performance.now() - t0;
    if (body !== null) this.answered.add(url);
    if (error !== null && this.o.quiet?.has(url) && !this.answered.has(url)) {
      // A default endpoint that is not there: dropped without a word or a row.
      this.dropped.add(url);
      return;
    }
    this.o.sink({ url, time_ns, phase, latency_ms, body, status, error });
    if (this.o.guessed?.has(url) && !this.answered.has(url)) {
      // A guessed endpoint whose first answer says the server has no metrics there: said once, dropped.
      const why = status === 404 ? "answered 404" : notText !== null ? `answered with ${notText}` : null;
      if (why !== null) {
        this.dropped.add(url);
        this.o.info?.(`${this.o.what}: ${url} ${why} (the server exposes no metrics there); not scraped`);
        return;
      }
    }
    if (error !== null && !this.warned.has(url)) {
      this.warned.add(url);
      this.o.warn(`${this.o.what}: GET ${url} failed (${error}); the run goes on (failed scrapes are recorded in the metric_scrapes table)`);
    }
  }
}

function describeFetchError(e: unknown, timeoutMs: number): string {
  if (e instanceof Error) {
    if (e.name === "TimeoutError" || e.name === "AbortError") return `no answer within ${timeoutMs} ms`;
    const code = (e as { code?: unknown }).code;
    if (code === "ConnectionRefused" || code === "ECONNREFUSED") return "connection refused";
    return e.message.split("\n")[0] ?? e.name;
  }
  return String(e);
}
