// The server-metrics stage of a profile run: which endpoints to scrape (each --url's /metrics plus
// --server-metrics, unless --no-server-metrics), scraping them into results.duckdb while the phases
// run, and the AIPerf-style summary of the profiling window at the end.
import type { DuckDBConnection } from "@duckdb/node-api";
import { endpointPath } from "../client/endpoint-url.ts";
import { splitUrlCredentials } from "../client/url-credentials.ts";
import type { ProfileConfig } from "../config/profile-config.ts";
import { parsePrometheus } from "../metrics/prometheus-parse.ts";
import { namedServerRows } from "../metrics/server-metric-names.ts";
import type { ServerMetricsResults } from "../metrics/server-metric-names.ts";
import { serverMetricsExport } from "../metrics/server-metrics-summary.ts";
import { familyHelpDb, ServerMetricsStore, type SliceGauge, scrapeStatsDb, serverGaugeSlicesDb, serverMetricWindowsDb } from "../store/server-metrics-db.ts";
import { MetricScraper, type ScrapeResult } from "./metric-scraper.ts";

/** The results file the collectors write to (their own connection to it). */
export interface ResultsDb {
  connect: () => Promise<DuckDBConnection>;
  path: string;
}

/** "cannot write <file>: <first line of the error>", short. */
export function cannotWrite(path: string, e: Error): string {
  return `cannot write ${path}: ${(e.message.split("\n")[0] ?? "").slice(0, 200)}`;
}

/** Bound on one scrape: a slow endpoint is recorded as failed, never waited on for long. */
export const SCRAPE_TIMEOUT_MS = 5000;

/** `host:port` or a URL -> a full metrics URL (`/metrics` when it has no path), without credentials. */
export function metricsUrl(raw: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  const u = new URL(withScheme);
  if (u.pathname === "/" || u.pathname === "") u.pathname = "/metrics";
  return splitUrlCredentials(u.href).url;
}

/** The /metrics URL beside an endpoint URL: the endpoint's path replaced (a base path before it kept). */
export function serverMetricsUrlOf(endpointUrl: string, path: string): string {
  const u = new URL(endpointUrl);
  const base = u.pathname.endsWith(path) ? u.pathname.slice(0, -path.length) : "";
  u.pathname = `${base.replace(/\/+$/, "")}/metrics`;
  u.search = "";
  return splitUrlCredentials(u.href).url;
}

type UrlConfig = Pick<ProfileConfig, "urls" | "endpointType" | "endpoint" | "serverMetrics" | "noServerMetrics">;

/** Each --url server's /metrics (guessed: a server may have none). */
export function guessedMetricsUrls(cfg: UrlConfig): string[] {
  if (cfg.noServerMetrics) return [];
  const path = endpointPath(cfg.endpointType, cfg.endpoint);
  return [...new Set(cfg.urls.map((u) => serverMetricsUrlOf(u, path)))];
}

/** Every endpoint to scrape, each once: the --url servers' then --server-metrics', in order. */
export function serverMetricsUrls(cfg: UrlConfig): string[] {
  if (cfg.noServerMetrics) return [];
  const path = endpointPath(cfg.endpointType, cfg.endpoint);
  const all = [
    ...cfg.urls.map((u) => serverMetricsUrlOf(u, path)),
    // Validated by the flag's schema: host:port or http(s) URLs.
    ...(cfg.serverMetrics ?? []).map(metricsUrl),
  ];
  return [...new Set(all)];
}

export class ServerMetricsStage {
  private constructor(
    private readonly urls: string[],
    private readonly store: ServerMetricsStore,
    private readonly scraper: MetricScraper,
    private readonly counter: { malformed: number },
  ) {}

  /** Starts scraping (a baseline scrape now); null when there is nothing to scrape. */
  static async start(
    cfg: Pick<ProfileConfig, "urls" | "endpointType" | "endpoint" | "serverMetrics" | "noServerMetrics" | "serverMetricsInterval">,
    db: ResultsDb,
    runId: string,
    warn: (line: string) => void,
    info: (line: string) => void,
  ): Promise<ServerMetricsStage | null> {
    const urls = serverMetricsUrls(cfg);
    const given = new Set(urls.slice(guessedMetricsUrls(cfg).length));
    const guessed = new Set(guessedMetricsUrls(cfg).filter((u) => !given.has(u)));
    if (urls.length === 0) return null;
    const store = await ServerMetricsStore.create(await db.connect(), runId);
    store.onError = (e) => warn(`server metrics: ${cannotWrite(db.path, e)}; later scrapes are not stored`);
    const counter = { malformed: 0 };
    const warnedParse = new Set<string>();
    const sink = (r: ScrapeResult): void => {
      const parsed = r.body === null ? null : parsePrometheus(r.body);
      if (parsed !== null && parsed.errorCount > 0) {
        counter.malformed += parsed.errorCount;
        if (!warnedParse.has(r.url)) {
          warnedParse.add(r.url);
          const first = parsed.errors[0]!;
          warn(`server metrics: ${r.url} sent ${parsed.errorCount} malformed line(s) (line ${first.line}: ${first.message}); the others are kept`);
        }
      }
      store.addScrape(
        {
          time_ns: r.time_ns,
          phase: r.phase,
          url: r.url,
          source: "server",
          ok: r.error === null,
          status: r.status,
          error: r.error,
          latency_ms: r.latency_ms,
          samples: parsed?.samples.length ?? 0,
          bytes: r.body?.length ?? 0,
        },
        parsed?.samples ?? [],
        parsed?.help,
      );
    };
    const scraper = new MetricScraper({
      urls,
      intervalMs: cfg.serverMetricsInterval * 1000,
      timeoutMs: SCRAPE_TIMEOUT_MS,
      sink,
      warn,
      info,
      guessed,
      what: "server metrics",
    });
    scraper.start();
    return new ServerMetricsStage(urls, store, scraper, counter);
  }

  phaseStarted(phase: "warmup" | "profiling"): void {
    this.scraper.phaseStarted(phase);
  }

  /** Stops scraping after the final scrape (the end of the window) and makes every row durable. */
  async stop(): Promise<void> {
    await this.scraper.stop();
    this.store.flush();
  }

  /** The profiling window's summary, from the stored scrapes. */
  async results(runId: string): Promise<ServerMetricsResults> {
    const conn = this.store.connection;
    // One connection runs one query at a time.
    const windows = await serverMetricWindowsDb(conn, runId);
    const help = await familyHelpDb(conn, runId);
    const scrapes = await scrapeStatsDb(conn, runId, "server");
    const exp = serverMetricsExport(windows, help, scrapes, this.urls);
    return { export: exp, named: namedServerRows(exp), malformedLines: this.counter.malformed };
  }

  gaugeSlices(runId: string, sliceNs: number, metrics: readonly string[]): Promise<SliceGauge[]> {
    return serverGaugeSlicesDb(this.store.connection, runId, sliceNs, metrics);
  }

  /** Closes the appenders and the connection (before the results file is closed). */
  close(): void {
    // Stops scraping too, for a run that failed before stop().
    this.scraper.abandon();
    this.store.close();
    this.store.connection.closeSync();
  }
}
