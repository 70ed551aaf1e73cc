import { expect, test } from "bun:test";
import { MetricScraper, type ScrapeResult } from "../../../src/run/metric-scraper.ts";

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
  s.start();
  for (let i = 0; i < 4; i++) {
    await Bun.sleep(10);
    await s.settled();
  }
  await s.stop();
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
