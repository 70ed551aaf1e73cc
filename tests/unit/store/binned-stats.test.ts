import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { StaleBinsError, binnedStats, type Bin, type BinnedStatsOptions, type Series } from "../../../src/store/binned-stats.ts";
import { LiveBins } from "../../../src/store/live-bins.ts";
import { computeStats } from "../../../src/metrics/stats.ts";
import { mulberry32 } from "../../../src/dataset/seeded-rng.ts";
import { expectClose } from "./close.ts";

const PCTS = [1, 5, 10, 12.5, 25, 50, 75, 90, 95, 99, 99.9];

let instance: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  conn = await instance.connect();
});
afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

type Input = { g: number; m: number; k: number; values: readonly number[] };

/** Stores the values in a table and returns one Series per (m): the engine's input. */
async function load(name: string, series: readonly Input[]): Promise<Series[]> {
  await conn.run(`CREATE OR REPLACE TABLE ${name} (g DOUBLE, m INTEGER, v DOUBLE, k DOUBLE)`);
  const a = await conn.createAppender(name);
  for (const s of series) {
    for (const v of s.values) {
      a.appendDouble(s.g);
      a.appendInteger(s.m);
      a.appendDouble(v);
      a.appendDouble(s.k);
      a.endRow();
    }
  }
  a.closeSync();
  const ids = [...new Map(series.map((x) => [x.m, x.k]))];
  return ids.map(([m, k]) => ({ id: m, k, sql: `SELECT g, v FROM ${name} WHERE m = ${m}` }));
}

const rng = mulberry32(7);
const around = (x: number, spread: number, n: number) => Array.from({ length: n }, () => x + (rng() - 0.5) * spread);
const ints = (n: number, max: number) => Array.from({ length: n }, () => Math.floor(rng() * max));

// Series chosen to hit every path: ranks at bin ends and inside bins, duplicates, a single value,
// zeros and negatives, values below the scale's resolution, a huge range, and integers just below
// powers of two (where log2 rounds up and two bins overlap, so they are merged).
const CASES: Record<string, { k: number; values: number[] }> = {
  "spread ms latencies": { k: 1e6, values: Array.from({ length: 3000 }, () => Math.round(rng() * 5e8) * 1e-6) },
  "tightly clustered (ranks inside bins)": { k: 1e6, values: around(40, 0.02, 5000) },
  "token counts with many duplicates": { k: 1, values: ints(4000, 50) },
  "one value": { k: 1, values: [42] },
  "two values": { k: 1e6, values: [3.25, 1.5] },
  "all equal": { k: 1000, values: Array(777).fill(123.456) },
  "signed percentages": { k: 1000, values: around(0, 200, 2500) },
  "zeros and sub-resolution values": { k: 1000, values: [...Array(50).fill(0), ...around(0.0002, 0.0003, 300), ...around(5, 1, 100)] },
  "huge range": { k: 1, values: [1e-300, 1e-6, 1, 1e6, 1e12, 1e15, 3, 3, 3, 7e14, 2e-9] },
  "just below powers of two": {
    k: 1,
    values: [40, 44, 48, 50, 52].flatMap((e) => [2 ** e - 1, 2 ** e, 2 ** e + 1, 2 ** e - 3, 2 ** e - 2 ** (e - 12), 2 ** e - 2 ** (e - 11) - 1]),
  },
  "positive floats (throughputs)": { k: 1000, values: Array.from({ length: 2000 }, () => 1 / ((5 + rng() * 20) * 1e-3)) },
};

describe("binnedStats: exact statistics from bins, as numpy computes them", () => {
  for (const bins of ["round", "hdr"] as const)
    test(`every case, ${bins} bins: percentiles, min and max identical; sum, mean and std within 1e-12`, async () => {
      const entries = Object.entries(CASES);
      const series = await load(
        "cases",
        entries.map(([, c], m) => ({ g: 0, m, k: c.k, values: c.values })),
      );
      const got = (await binnedStats(conn, series, { percentiles: PCTS, bins })).get(0)!;
      expect(got.size).toBe(entries.length);
      entries.forEach(([name, c], m) => {
        const want = computeStats(c.values, PCTS)!;
        const s = got.get(m)!;
        const ctx = `${name}`;
        expect([ctx, s.count, s.min, s.max]).toEqual([ctx, want.count, want.min, want.max]);
        expect([ctx, [...s.percentiles]]).toEqual([ctx, [...want.percentiles]]);
        const mag = Math.max(Math.abs(want.min), Math.abs(want.max));
        expectClose(s.sum, want.sum, `${ctx} sum`, { rel: 1e-12, mag });
        expectClose(s.avg, want.avg, `${ctx} avg`, { rel: 1e-12, mag });
        expectClose(s.std, want.std, `${ctx} std`, { rel: 1e-12, mag });
      });
    });

  test("bins accumulated value by value (LiveBins) key every value as the SQL does: same results, no full scan needed", async () => {
    const entries = Object.entries(CASES);
    const series = await load(
      "live",
      entries.map(([, c], m) => ({ g: 0, m, k: c.k, values: c.values })),
    );
    const live = new LiveBins();
    for (const [m, [, c]] of entries.entries()) for (const v of c.values) live.add(String(m), v);
    // Counts the streamed queries: with live bins only the second one (reading inside bins) runs.
    let streamed = 0;
    const counting = {
      stream: (sql: string) => (streamed++, conn.stream(sql)),
      run: (sql: string) => conn.run(sql),
      createAppender: conn.createAppender.bind(conn),
    };
    const viaLive = (await binnedStats(counting as unknown as DuckDBConnection, series, { percentiles: PCTS, live: (id) => live.bins(String(id)) })).get(0)!;
    expect(streamed).toBe(1);
    const viaSql = (await binnedStats(conn, series, { percentiles: PCTS })).get(0)!;
    expect(viaLive.size).toBe(entries.length);
    entries.forEach(([name], m) => {
      const a = viaLive.get(m)!;
      const b = viaSql.get(m)!;
      expect([name, a.count, a.min, a.max, [...a.percentiles]]).toEqual([name, b.count, b.min, b.max, [...b.percentiles]]);
      expectClose(a.std, b.std, `${name} std`, { rel: 1e-12, mag: Math.max(Math.abs(b.min), Math.abs(b.max)) });
    });
  });

  test("live bins that do not match the table are reported, not used", async () => {
    const values = around(40, 0.02, 500);
    const series = await load("stale", [{ g: 0, m: 0, k: 1e6, values }]);
    const live = new LiveBins();
    for (const v of values.slice(1)) live.add("0", v); // one value the table has was never binned
    await expect(binnedStats(conn, series, { percentiles: PCTS, live: (id) => live.bins(String(id)) })).rejects.toBeInstanceOf(StaleBinsError);
  });

  test("still exact when the bin key is not monotone: overlapping bins are merged and read value by value", async () => {
    const values = [...around(40, 0.02, 400), ...ints(300, 50), 7, 7, 7];
    const series = await load("scrambled", [{ g: 0, m: 0, k: 1e6, values }]);
    const opts: BinnedStatsOptions = { percentiles: PCTS, binKey: (v) => `((round(${v} * 1000000)::BIGINT % 7)::DOUBLE)` };
    const got = (await binnedStats(conn, series, opts)).get(0)!.get(0)!;
    const want = computeStats(values, PCTS)!;
    expect([got.count, got.min, got.max, [...got.percentiles]]).toEqual([want.count, want.min, want.max, [...want.percentiles]]);
    expectClose(got.std, want.std, "std", { rel: 1e-12, mag: want.max });
  });

  test("groups are kept apart; the bins of each (group, series) arrive in value order and add up", async () => {
    const series = await load("groups", [
      { g: 1_700_000_000, m: 0, k: 1e6, values: around(10, 4, 500) },
      { g: 1_700_000_001, m: 0, k: 1e6, values: around(1000, 4, 300) },
      { g: 1_700_000_001, m: 3, k: 1, values: ints(200, 9) },
    ]);
    const seen: { g: number; m: number; bins: readonly Bin[] }[] = [];
    const got = await binnedStats(conn, series, { percentiles: [50], bins: "hdr", onBins: (g, m, bins) => seen.push({ g, m, bins }) });
    expect([...got.keys()]).toEqual([1_700_000_000, 1_700_000_001]);
    expect(got.get(1_700_000_000)!.get(0)!.max).toBeLessThan(20);
    expect(got.get(1_700_000_001)!.get(0)!.min).toBeGreaterThan(990);
    expect(got.get(1_700_000_001)!.get(3)!.count).toBe(200);
    expect(seen.map((s) => [s.g, s.m, s.bins.reduce((a, b) => a + b.n, 0)])).toEqual([
      [1_700_000_000, 0, 500],
      [1_700_000_001, 0, 300],
      [1_700_000_001, 3, 200],
    ]);
    for (const s of seen) {
      expect(s.bins.length).toBeGreaterThan(1);
      for (let i = 1; i < s.bins.length; i++) expect(s.bins[i]!.lo).toBeGreaterThan(s.bins[i - 1]!.hi);
    }
  });

  test("no values: no groups", async () => {
    await load("empty", []);
    expect((await binnedStats(conn, [{ id: 0, k: 1, sql: "SELECT g, v FROM empty" }], { percentiles: PCTS })).size).toBe(0);
  });
});
