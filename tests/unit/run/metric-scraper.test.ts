import { expect, test } from "bun:test";
import { MetricScraper, notMetricsText, type ScrapeResult } from "../../../src/run/metric-scraper.ts";

/** A fetch answering per URL: a status and body, or a thrown error. */
function fakeFetch(answers: Record<string, { status: number; body: string } | Error>): typeof fetch {
  return (async (input: string | URL | Request) => {
    const a = answers[String(input)];
    if (a === undefined || a instanceof Error) throw a ?? new Error("no route");
    return new Response(a.body, { status: a.status });
  }) as typeof fetch;
}

function scraper(answers: Parameters<typeof fakeFetch>[0], extra: Partial<ConstructorParameters<typeof MetricScraper>[0]> = {}) {
  const got: ScrapeResult[] = [];
  const warnings: string[] = [];
  const infos: string[] = [];
  const s = new MetricScraper({
    urls: Object.keys(answers),
    intervalMs: 5,
    timeoutMs: 1000,
    sink: (r) => void got.push(r),
    warn: (l) => void warnings.push(l),
    info: (l) => void infos.push(l),
    what: "server metrics",
    fetchImpl: fakeFetch(answers),
    ...extra,
  });
  return { s, got, warnings, infos };
}

/** Starts `s`, lets `rounds` periodic scrapes (5 ms apart) happen, then stops it. */
async function scrapeRounds(s: MetricScraper, rounds: number): Promise<void> {
  s.start();
  for (let i = 0; i < rounds; i++) {
    await Bun.sleep(10);
    await s.settled();
  }
  await s.stop();
}

test("phases: baseline, a boundary scrape in the ending phase, then the new phase; stop() adds a final profiling scrape", async () => {
  // No periodic scrape in between: only the ones the phases ask for.
  const { s, got } = scraper({ "http://a/metrics": { status: 200, body: "x 1\n" } }, { intervalMs: 60_000 });
  s.start();
  await s.settled();
  s.phaseStarted("profiling");
  await s.settled();
  await s.stop();
  expect(got.map((r) => r.phase)).toEqual(["baseline", "baseline", "profiling"]);
  expect(got.every((r) => r.body === "x 1\n" && r.error === null)).toBe(true);
  expect(got.length).toBe(3);
});

test("a failing endpoint: every attempt recorded, one warning", async () => {
  const { s, got, warnings } = scraper({ "http://bad/metrics": { status: 500, body: "boom" } });
  await scrapeRounds(s, 4);
  expect(got.length).toBeGreaterThan(2);
  expect(got.every((r) => r.error === "HTTP 500" && r.body === null)).toBe(true);
  expect(warnings).toEqual([
    "server metrics: GET http://bad/metrics failed (HTTP 500); the run goes on (failed scrapes are recorded in the metric_scrapes table)",
  ]);
});

test("a quiet (default) endpoint that is not there: dropped without a word or a record", async () => {
  const url = "http://localhost:9400/metrics";
  const { s, got, warnings } = scraper({ [url]: new Error("connect ECONNREFUSED") }, { quiet: new Set([url]) });
  s.start();
  await s.settled();
  await s.stop();
  expect(got).toEqual([]);
  expect(warnings).toEqual([]);
  expect(s.activeUrls).toEqual([]);
});

test("a guessed /metrics answering 404: said once as information, not scraped again", async () => {
  const url = "http://srv/metrics";
  const { s, got, warnings, infos } = scraper({ [url]: { status: 404, body: "no" } }, { guessed: new Set([url]) });
  s.start();
  await Bun.sleep(20);
  await s.stop();
  expect(got.length).toBe(1);
  expect(warnings).toEqual([]);
  expect(infos).toEqual(["server metrics: http://srv/metrics answered 404 (the server exposes no metrics there); not scraped"]);
});

test("notMetricsText: event streams, HTML and JSON are refused by their Content-Type; Prometheus, OpenMetrics and no type are read", () => {
  const cases: [string | null, string | null][] = [
    ["text/event-stream", "Content-Type text/event-stream, not metrics text"],
    ["Text/Event-Stream; charset=utf-8", "Content-Type text/event-stream, not metrics text"],
    ["text/html; charset=utf-8", "Content-Type text/html, not metrics text"],
    ["application/json", "Content-Type application/json, not metrics text"],
    ["text/plain; version=0.0.4; charset=utf-8", null],
    ["application/openmetrics-text; version=1.0.0; charset=utf-8", null],
    ["text/plain", null],
    ["", null],
    [null, null],
  ];
  for (const [type, want] of cases) expect([type, notMetricsText(type)]).toEqual([type, want]);
});

/** A fetch answering every URL 200 with `type` and a body that never ends (an event stream), counting reads. */
function endlessFetch(type: string, reads: { n: number }): typeof fetch {
  return (async (_input: string | URL | Request) => {
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        reads.n++;
        c.enqueue(new TextEncoder().encode('data: {"choices":[{"delta":{"content":" the"}}]}\n\n'));
        return Bun.sleep(1);
      },
    });
    return new Response(body, { status: 200, headers: { "content-type": type } });
  }) as typeof fetch;
}

test("a guessed /metrics answering an event stream: not read, said once as information, not scraped again", async () => {
  const url = "http://srv/metrics";
  const reads = { n: 0 };
  const { s, got, warnings, infos } = scraper(
    { [url]: { status: 200, body: "" } },
    { guessed: new Set([url]), fetchImpl: endlessFetch("text/event-stream", reads) },
  );
  s.start();
  await Bun.sleep(30);
  await s.stop();
  expect(got.length).toBe(1);
  expect(got[0]!.error).toBe("Content-Type text/event-stream, not metrics text");
  expect(got[0]!.body).toBeNull();
  // Cancelled at its head: the stream was not read until the timeout (1 s here).
  expect(got[0]!.latency_ms).toBeLessThan(500);
  expect(reads.n).toBeLessThan(5);
  expect(warnings).toEqual([]);
  expect(infos).toEqual([
    "server metrics: http://srv/metrics answered with Content-Type text/event-stream, not metrics text (the server exposes no metrics there); not scraped",
  ]);
  expect(s.activeUrls).toEqual([]);
});

test("a guessed /metrics dropped by its first answer: a phase's scrape queued behind that answer is not sent", async () => {
  const url = "http://slow/metrics";
  let gets = 0;
  const slowStream = (async () => {
    gets++;
    await Bun.sleep(20); // the head comes late: the phase starts while this scrape is out
    return new Response("data: x\n\n", { status: 200, headers: { "content-type": "text/event-stream" } });
  }) as unknown as typeof fetch;
  const { s, got, infos } = scraper({ [url]: { status: 200, body: "" } }, { guessed: new Set([url]), fetchImpl: slowStream, intervalMs: 1000 });
  s.start();
  await Bun.sleep(5);
  s.phaseStarted("warmup");
  s.phaseStarted("profiling");
  await s.settled();
  await s.stop();
  expect(gets).toBe(1);
  expect(got.length).toBe(1);
  expect(infos.length).toBe(1);
  expect(s.activeUrls).toEqual([]);
});

test("a given endpoint answering HTML: every attempt recorded as failed without its body, one warning, still scraped", async () => {
  const url = "http://given/metrics";
  const reads = { n: 0 };
  const { s, got, warnings, infos } = scraper({ [url]: { status: 200, body: "" } }, { fetchImpl: endlessFetch("text/html", reads) });
  await scrapeRounds(s, 3);
  expect(got.length).toBeGreaterThan(2);
  expect(got.filter((r) => r.error === "Content-Type text/html, not metrics text" && r.body === null).length).toBe(got.length);
  expect(warnings).toEqual([
    "server metrics: GET http://given/metrics failed (Content-Type text/html, not metrics text); the run goes on (failed scrapes are recorded in the metric_scrapes table)",
  ]);
  expect(infos).toEqual([]);
  expect(s.activeUrls).toEqual([url]);
});
