// The plot queries over a synthetic results.duckdb, checked against direct SQL over the same file.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseGoodput } from "../../../src/metrics/goodput.ts";
import {
  bucketNs,
  CDF_PS,
  distribution,
  errorBreakdown,
  inFlightMeans,
  latencyScatter,
  quantileAt,
  runInfo,
  runTotals,
  timeSeries,
} from "../../../src/plot/run-data.ts";
import { groupPoints } from "../../../src/plot/set-report.ts";
import { loadAxis, type RunFigures } from "../../../src/plot/set-data.ts";
import { goodSql, num0, type Query } from "../../../src/plot/sql.ts";
import { queryRuns } from "../../../src/store/read-db.ts";
import { writeSyntheticRun } from "../../helpers/synthetic-results.ts";

let dir = "";
let q: Query;
const N = 5000;
const FAIL_EVERY = 50;
const CONCURRENCY = 8;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-plotdata-"));
  const db = await writeSyntheticRun(dir, { requests: N, warmup: 30, failEvery: FAIL_EVERY, concurrency: CONCURRENCY });
  q = (sql) => queryRuns([db], sql);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scalar = async (sql: string) => num0((await q(sql)).rows[0]?.[0]);

describe("run queries", () => {
  test("totals: profiling requests only; warmup left out", async () => {
    const t = await runTotals(q, null);
    expect(t.requests).toBe(N);
    // The warmup requests come first; request i of the run fails when (i % FAIL_EVERY) = FAIL_EVERY - 1.
    expect(t.requests - t.ok).toBe(await scalar(`select count(*) from requests where phase = 'profiling' and error_type is not null`));
    expect(t.good).toBeNull();
  });

  test("distribution: bins hold every value, quantiles are DuckDB's", async () => {
    const d = await distribution(q, "time_to_first_token");
    expect(d).not.toBeNull();
    expect(d!.bins.reduce((a, b) => a + b.count, 0)).toBe(d!.n);
    expect(d!.n).toBe(await scalar(`select count(time_to_first_token) from requests where phase = 'profiling'`));
    expect(quantileAt(d!, 0.99)).toBeCloseTo(await scalar(`select quantile_cont(time_to_first_token, 0.99) from requests where phase = 'profiling'`), 9);
    expect(d!.quantiles.length).toBe(CDF_PS.length);
    expect(d!.quantiles.every((v, i) => i === 0 || v >= d!.quantiles[i - 1]!)).toBe(true);
    expect(d!.above).toBe(await scalar(`select count(*) from requests where phase = 'profiling' and time_to_first_token > ${d!.top}`));
  });

  test("integer distribution: whole-number bins", async () => {
    const d = await distribution(q, "output_tokens", { integer: true });
    expect(d!.bins.length).toBeGreaterThan(1);
    expect(d!.bins.every((b) => Number.isInteger(b.hi - b.lo))).toBe(true);
  });

  test("a column without values: null", async () => {
    expect(await distribution(q, "time_to_second_token")).toBeNull();
  });

  test("goodput: the SLO filter counts what direct SQL counts", async () => {
    const info = await runInfo(q);
    const { slos } = parseGoodput(["time_to_first_token:40 inter_token_latency:9"]);
    const good = goodSql(slos, info.columns);
    expect(good).not.toBeNull();
    const t = await runTotals(q, good);
    expect(t.good).toBe(
      await scalar(`select count(*) from requests where phase = 'profiling' and error_type is null and time_to_first_token <= 40 and inter_token_latency <= 9`),
    );
    expect(goodSql(parseGoodput(["time_to_first_token:40"]).slos, new Set(["request_latency"]))).toBeNull();
  });

  test("time series: tokens add up; in flight is the time-weighted mean per bucket", async () => {
    const t = await runTotals(q, null);
    const ts = await timeSeries(q, t, (await runInfo(q)).columns, null);
    expect(ts.t.length).toBeGreaterThan(10);
    const tokens = ts.outputTokensPerSec.reduce((a, v) => a + (v * ts.bucketNs) / 1e9, 0);
    expect(tokens).toBeCloseTo(t.outputTokens, 3);
    // The time-weighted mean per bucket, here by brute force: each request's overlap with each bucket.
    const rows = (await q(`select start_ns - ${t.startNs}, end_ns - ${t.startNs} from requests where phase = 'profiling'`)).rows.map(
      (r) => [Number(r[0]), Number(r[1])] as const,
    );
    const brute = ts.inFlight.map((_, b) => {
      const [b0, b1] = [b * ts.bucketNs, (b + 1) * ts.bucketNs];
      return rows.reduce((a, [s, e]) => a + Math.max(0, Math.min(e, b1) - Math.max(s, b0)), 0) / ts.bucketNs;
    });
    expect(ts.inFlight.length).toBe(brute.length);
    for (const [i, v] of ts.inFlight.entries()) expect(v).toBeCloseTo(brute[i]!, 6);
    expect(Math.max(...ts.inFlight)).toBeGreaterThan(CONCURRENCY / 2);
    expect(ts.ttftP50.filter((v) => v !== null).length).toBeGreaterThan(10);
  });

  test("scatter: at most the caps, every k-th, the same points each time", async () => {
    const t = await runTotals(q, null);
    const a = await latencyScatter(q, t, 1000, 40);
    const b = await latencyScatter(q, t, 1000, 40);
    expect(a).toEqual(b);
    expect(a.okTotal).toBe(t.ok);
    expect(a.failedTotal).toBe(t.requests - t.ok);
    expect(a.okShown).toBeLessThanOrEqual(1000);
    expect(a.okShown).toBeGreaterThan(900);
    expect(a.failedShown).toBeLessThanOrEqual(40);
    expect(a.x.length).toBe(a.okShown + a.failedShown);
  });

  test("errors: grouped by type and code, counts add up", async () => {
    const t = await runTotals(q, null);
    const errs = await errorBreakdown(q);
    expect(errs.map((e) => e.type).sort()).toEqual(["ConnectionError", "ServerError"]);
    expect(errs.reduce((a, e) => a + e.count, 0)).toBe(t.requests - t.ok);
    expect(errs.every((e) => e.message.includes("<script>"))).toBe(true);
  });
});

describe("inFlightMeans", () => {
  // Buckets of 10 ns. Request A: 2..25, request B: 12..14.
  test.each([
    ["none", [], [0, 0, 0]],
    [
      "two requests",
      [
        { b: 0, starts: 1, startOffsetsNs: 2, ends: 0, endOffsetsNs: 0 },
        { b: 1, starts: 1, startOffsetsNs: 12, ends: 1, endOffsetsNs: 14 },
        { b: 2, starts: 0, startOffsetsNs: 0, ends: 1, endOffsetsNs: 25 },
      ],
      [0.8, 1.2, 0.5],
    ],
  ])("%s", (_, edges, means) => {
    const got = inFlightMeans(3, 10, edges);
    expect(got.length).toBe(means.length);
    for (const [i, v] of got.entries()) expect(v).toBeCloseTo(means[i]!, 12);
  });
});

describe("bucketNs", () => {
  test.each([
    [60e9, undefined, 1e9],
    [600e9, undefined, 10e9],
    [600e9, 5, 5e9],
    [600e9, 0.5, 10e9], // 1,200 slices: too many, the automatic size instead
    [1e6, undefined, 1e6],
  ])("span %p ns, slice %p s -> %p ns", (span, slice, b) => expect(bucketNs(span, slice)).toBe(b));
});

describe("sweep axes", () => {
  test.each([
    [[{ concurrency: 1 }, { concurrency: 4 }], "concurrency"],
    [
      [
        { concurrency: 4, requestRate: 10 },
        { concurrency: 4, requestRate: 20 },
      ],
      "requestRate",
    ],
    [
      [
        { concurrency: 4, isl: 128 },
        { concurrency: 4, isl: 1024 },
      ],
      "isl",
    ],
    [[{ concurrency: 4 }, { concurrency: 4 }], null],
    [[{ concurrency: null }, { concurrency: 4 }], null],
  ])("%j -> %p", (configs, key) => expect<string | null>(loadAxis(configs)?.key ?? null).toBe(key));

  const fig = (point: string, label: string, config: Record<string, unknown>, sweepPoint: number | null = null) =>
    ({ run: { dir: "", dbPath: "", label, point }, config, sweepPoint }) as unknown as RunFigures;

  test("repeats without a load axis (run_01, run_02 of one point): grouped by runs.sweep_point", () => {
    const g = groupPoints([fig("run_01", "run_01", { concurrency: 4 }, 1), fig("run_02", "run_02", { concurrency: 4 }, 1)], "sweep");
    expect(g.points.map((p) => [p.label, p.runs.length])).toEqual([["point 1", 2]]);
  });

  test("repeats group by point and sort by load; a comparison without a load axis is categorical", () => {
    const sweep = groupPoints(
      [fig("c16", "c16/r1", { concurrency: 16 }), fig("c2", "c2/r1", { concurrency: 2 }), fig("c16", "c16/r2", { concurrency: 16 })],
      "sweep",
    );
    expect(sweep.points.map((p) => [p.label, p.x, p.runs.length])).toEqual([
      ["c=2", 2, 1],
      ["c=16", 16, 2],
    ]);
    expect(sweep.categorical).toBe(false);
    const cmp = groupPoints([fig("a", "a", { concurrency: 4 }), fig("b", "b", { concurrency: 4 })], "compare");
    expect(cmp.points.map((p) => [p.label, p.x])).toEqual([
      ["a", 0],
      ["b", 1],
    ]);
    expect(cmp.categorical).toBe(true);
  });
});
