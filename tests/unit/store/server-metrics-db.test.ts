import { expect, test } from "bun:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { parsePrometheus } from "../../../src/metrics/prometheus-parse.ts";
import { familyHelpDb, type ScrapePhase, ServerMetricsStore, scrapeStatsDb, serverMetricWindowsDb, splitLabels } from "../../../src/store/server-metrics-db.ts";

const body = (running: number, count: number, bucket: number): string =>
  `# HELP g Running.\n# TYPE g gauge\ng{model_name="m"} ${running}\n# TYPE h histogram\nh_bucket{model_name="m",le="0.1"} ${bucket}\nh_bucket{model_name="m",le="+Inf"} ${count}\nh_sum{model_name="m"} ${count / 10}\nh_count{model_name="m"} ${count}\n# TYPE n gauge\nn NaN\n`;

test("windows: stats over the profiling scrapes, reference = the last scrape before them", async () => {
  const inst = await DuckDBInstance.create(":memory:");
  const conn = await inst.connect();
  const st = await ServerMetricsStore.create(conn, "r1");
  const scrapes: [number, ScrapePhase, string][] = [
    [1, "baseline", body(0, 0, 0)],
    [2, "warmup", body(5, 3, 1)],
    [3, "warmup", body(1, 8, 2)],
    [4, "profiling", body(4, 10, 3)],
    [5, "profiling", body(8, 20, 9)],
  ];
  for (const [t, phase, text] of scrapes) {
    const p = parsePrometheus(text);
    st.addScrape(
      { time_ns: t, phase, url: "u", source: "server", ok: true, status: 200, error: null, latency_ms: 2, samples: p.samples.length, bytes: text.length },
      p.samples,
      p.help,
    );
  }
  st.addScrape(
    { time_ns: 6, phase: "profiling", url: "u", source: "server", ok: false, status: 500, error: "HTTP 500", latency_ms: 4, samples: 0, bytes: 0 },
    [],
  );
  st.flush();
  const windows = await serverMetricWindowsDb(conn, "r1");
  const g = windows.find((w) => w.metric === "g")!;
  expect(g.labels).toBe('{"model_name":"m"}');
  expect([g.n, g.avg, g.min, g.max]).toEqual([2, 6, 4, 8]);
  expect(g.quantiles?.[4]).toBe(6);
  const inf = windows.find((w) => w.metric === "h_bucket" && w.le === "+Inf")!;
  expect(inf.labels).toBe('{"model_name":"m"}');
  expect([inf.refValue, inf.refNs, inf.lastValue, inf.lastNs]).toEqual([8, 3, 20, 5]);
  // NaN is stored as NULL: no statistics, no error.
  const n = windows.find((w) => w.metric === "n")!;
  expect([n.n, n.avg]).toEqual([0, null]);
  expect((await familyHelpDb(conn, "r1")).get("g")).toBe("Running.");
  expect(await scrapeStatsDb(conn, "r1", "server")).toEqual([{ url: "u", attempts: 6, ok: 5, avgLatencyMs: 2, firstNs: 1, lastNs: 5, anError: "HTTP 500" }]);
  st.close();
  conn.closeSync();
  inst.closeSync();
});

test("splitLabels takes le off histogram buckets and quantile off summaries only", () => {
  const cases: [string, { labels: string; le: string | null }][] = [
    ['# TYPE h histogram\nh_bucket{a="1",le="0.5"} 1\n', { labels: '{"a":"1"}', le: "0.5" }],
    ['# TYPE s summary\ns{quantile="0.9"} 1\n', { labels: "{}", le: "0.9" }],
    ['# TYPE g gauge\ng{le="x"} 1\n', { labels: '{"le":"x"}', le: null }],
    ["x 1\n", { labels: "{}", le: null }],
  ];
  for (const [text, want] of cases) expect(splitLabels(parsePrometheus(text).samples[0]!)).toEqual(want);
});
