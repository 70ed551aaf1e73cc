// Exact statistics of many value series at once (count, sum, min, max, population std, numpy's linear
// percentiles), computed in DuckDB with bounded memory, without sorting the values:
//
//  1. One GROUP BY puts every value into a narrow bin (relative width 1/2048..1/4096, finer than and
//     aligned with an HDR histogram's buckets) and returns per bin its count, min, max, sum and
//     variance, ordered by value. From these come count, sum, min, max and std (bins merged with
//     Chan's formula), the HDR histogram, and the rank of every order statistic a percentile needs.
//  2. Order statistics that fall inside a bin (not at its ends) are read in one more query that
//     groups only those bins' values by distinct value and picks the ranks with a running count.
//
// quantile_cont gives the same percentiles but keeps every value of a series in memory and took
// 5 s for 19 M values on the 2-core test box; the two scans here are bounded by the bin count.
import type { DuckDBConnection } from "@duckdb/node-api";
import type { DuckDBValue } from "@duckdb/node-api";
import { percentileOf, percentileRanks, type Stats } from "../metrics/stats.ts";

/**
 * SQL yielding one row per value: g (group, e.g. a time-slice bucket; a DOUBLE-exact integer),
 * m (series id, INTEGER), v (the value, DOUBLE, not NULL) and k (per series: v * k rounded is the
 * integer an HDR histogram records, see metrics/slice-histograms.ts).
 */
export type ValuesSql = string;

/** A bin: every value of a series whose scaled integer falls in one aligned block. */
export interface Bin {
  n: number;
  lo: number;
  hi: number;
}

export interface BinnedStatsOptions {
  percentiles: readonly number[];
  /** Receives each (group, series)'s bins in value order, and the series' k (for HDR histograms). */
  onBins?: (g: number, m: number, bins: readonly Bin[], k: number) => void;
  /** SQL of the bin key of the scaled integer column `x` (tests pass a scrambled one; results stay exact). */
  binKey?: (x: string) => string;
}

/** Largest magnitude kept before the scaled value is cast to BIGINT (bins beyond it merge). */
const CLAMP = "9.0e18";
/** Bits dropped below the top ones: blocks of 2^(floor(log2 x) - 11), half an HDR bucket (3 digits) or less. */
const KEEP_BITS = 11;

function shift(x: string): string {
  return `greatest(floor(log2(${x}))::INTEGER - ${KEEP_BITS}, 0)`;
}

/** Bin key of the scaled integer x: x with its low bits cleared, sign kept; monotone in x (up to log2 rounding, see merge). */
function binKey(x: string): string {
  const neg = `(-${x})`;
  return `CASE WHEN ${x} > 0 THEN (${x} >> ${shift(x)}) << ${shift(x)} WHEN ${x} < 0 THEN -((${neg} >> ${shift(neg)}) << ${shift(neg)}) ELSE 0 END`;
}

function keyedSql(values: ValuesSql, key: (x: string) => string): string {
  return `__vals AS (${values}),
__xs AS (SELECT g, m, v, k, round(least(greatest(v * k, -${CLAMP}), ${CLAMP}))::BIGINT AS x FROM __vals),
__keyed AS (SELECT g::DOUBLE AS g, m, v, k, ${key("x")} AS key FROM __xs)`;
}

interface RawBin extends Bin {
  key: bigint;
  sum: number;
  varPop: number;
}

/** Consecutive bins whose value ranges overlap (log2 rounding at a power of two) merged; disjoint, ascending. */
interface Interval {
  keys: bigint[];
  n: number;
  lo: number;
  hi: number;
  /** Rank of its first value within the series. */
  start: number;
}

interface Pending {
  g: number;
  m: number;
  n: number;
  sum: number;
  min: number;
  max: number;
  std: number;
  /** Order statistics known so far, by rank. */
  at: Map<number, number>;
}

interface Target {
  pending: Pending;
  interval: Interval;
  /** Ranks within the interval. */
  ranks: number[];
}

async function forEachChunk(conn: DuckDBConnection, sql: string, fn: (columns: DuckDBValue[][], rows: number) => void): Promise<void> {
  const result = await conn.stream(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) return;
    fn(chunk.getColumns(), chunk.rowCount);
  }
}

const num = (v: DuckDBValue): number => (typeof v === "bigint" ? Number(v) : (v as number));

let tableSeq = 0;

/** Statistics per group and series (values as given, e.g. display units). Series without values are absent. */
export async function binnedStats(conn: DuckDBConnection, values: ValuesSql, opts: BinnedStatsOptions): Promise<Map<number, Map<number, Stats>>> {
  const done: Pending[] = [];
  const targets: Target[] = [];
  let bins: RawBin[] = [];
  let cur: { g: number; m: number; k: number } | null = null;
  const keyed = keyedSql(values, opts.binKey ?? binKey);

  const finishGroup = (): void => {
    if (cur === null || bins.length === 0) return;
    const { g, m, k } = cur;
    opts.onBins?.(g, m, bins, k);
    done.push(groupStats(g, m, bins, opts.percentiles, targets));
    bins = [];
  };

  await forEachChunk(
    conn,
    `WITH ${keyed}
     SELECT g, m, key, count(*)::DOUBLE AS n, min(v) AS lo, max(v) AS hi, sum(v) AS s, var_pop(v) AS vp, any_value(k) AS k
     FROM __keyed GROUP BY g, m, key ORDER BY g, m, lo`,
    (cols, rows) => {
      const [G, M, K, N, LO, HI, S, VP, KF] = cols as [DuckDBValue[], DuckDBValue[], DuckDBValue[], DuckDBValue[], DuckDBValue[], DuckDBValue[], DuckDBValue[], DuckDBValue[], DuckDBValue[]];
      for (let i = 0; i < rows; i++) {
        const g = num(G[i]!);
        const m = num(M[i]!);
        if (cur === null || cur.g !== g || cur.m !== m) {
          finishGroup();
          cur = { g, m, k: num(KF[i]!) };
        }
        bins.push({ key: K[i] as bigint, n: num(N[i]!), lo: num(LO[i]!), hi: num(HI[i]!), sum: num(S[i]!), varPop: num(VP[i]!) });
      }
    },
  );
  finishGroup();

  if (targets.length > 0) await readTargets(conn, keyed, targets);

  const out = new Map<number, Map<number, Stats>>();
  for (const p of done) {
    const pct = new Map<number, number>();
    for (const q of opts.percentiles) pct.set(q, percentileOf(p.n, q, (rank) => p.at.get(rank)!));
    const byM = out.get(p.g) ?? new Map<number, Stats>();
    byM.set(p.m, { count: p.n, avg: p.sum / p.n, min: p.min, max: p.max, sum: p.sum, std: p.std, percentiles: pct });
    out.set(p.g, byM);
  }
  return out;

  /** Reads the order statistics inside bins: distinct values of just those bins, with a running count. */
  async function readTargets(conn: DuckDBConnection, keyed: string, list: readonly Target[]): Promise<void> {
    const id = `__llmbench_bins_${process.pid}_${++tableSeq}`;
    await conn.run(`CREATE TEMP TABLE ${id}_t (tid INTEGER, g DOUBLE, m INTEGER, key BIGINT)`);
    await conn.run(`CREATE TEMP TABLE ${id}_r (tid INTEGER, r DOUBLE)`);
    try {
      const t = await conn.createAppender(`${id}_t`, "main", "temp");
      const r = await conn.createAppender(`${id}_r`, "main", "temp");
      list.forEach((target, tid) => {
        for (const key of target.interval.keys) {
          t.appendInteger(tid);
          t.appendDouble(target.pending.g);
          t.appendInteger(target.pending.m);
          t.appendBigInt(key);
          t.endRow();
        }
        for (const rank of target.ranks) {
          r.appendInteger(tid);
          r.appendDouble(rank);
          r.endRow();
        }
      });
      t.closeSync();
      r.closeSync();
      await forEachChunk(
        conn,
        `WITH ${keyed},
         __hit AS (SELECT t.tid, x.v, count(*)::DOUBLE AS n FROM __keyed x JOIN ${id}_t t ON x.g = t.g AND x.m = t.m AND x.key = t.key GROUP BY t.tid, x.v),
         __cum AS (SELECT tid, v, n, sum(n) OVER (PARTITION BY tid ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS upto FROM __hit)
         SELECT c.tid, r.r, c.v FROM __cum c JOIN ${id}_r r ON c.tid = r.tid AND r.r >= c.upto - c.n AND r.r < c.upto`,
        (cols, rows) => {
          const [TID, R, V] = cols as [DuckDBValue[], DuckDBValue[], DuckDBValue[]];
          for (let i = 0; i < rows; i++) {
            const target = list[num(TID[i]!)]!;
            target.pending.at.set(target.interval.start + num(R[i]!), num(V[i]!));
          }
        },
      );
    } finally {
      await conn.run(`DROP TABLE IF EXISTS ${id}_t`);
      await conn.run(`DROP TABLE IF EXISTS ${id}_r`);
    }
  }
}

/** Moments from the bins, and every needed order statistic that sits at a bin's end; the rest become targets. */
function groupStats(g: number, m: number, bins: readonly RawBin[], percentiles: readonly number[], targets: Target[]): Pending {
  let n = 0;
  let sum = 0;
  for (const b of bins) {
    n += b.n;
    sum += b.sum;
  }
  const mean = sum / n;
  // Chan et al.: M2 = sum over bins of (n_b var_b + n_b (mean_b - mean)^2).
  let m2 = 0;
  for (const b of bins) {
    const d = b.sum / b.n - mean;
    m2 += b.n * b.varPop + b.n * d * d;
  }
  const intervals: Interval[] = [];
  let start = 0;
  for (const b of bins) {
    const last = intervals[intervals.length - 1];
    if (last !== undefined && b.lo <= last.hi) {
      last.keys.push(b.key);
      last.n += b.n;
      last.hi = Math.max(last.hi, b.hi);
    } else {
      intervals.push({ keys: [b.key], n: b.n, lo: b.lo, hi: b.hi, start });
    }
    start += b.n;
  }
  const p: Pending = { g, m, n, sum, min: intervals[0]!.lo, max: intervals[intervals.length - 1]!.hi, std: Math.sqrt(m2 / n), at: new Map() };

  const ranks = [...new Set(percentiles.flatMap((q) => percentileRanks(n, q)))].sort((a, b) => a - b);
  let i = 0;
  let target: Target | null = null;
  for (const rank of ranks) {
    while (rank >= intervals[i]!.start + intervals[i]!.n) i++;
    const iv = intervals[i]!;
    const local = rank - iv.start;
    if (local === 0 || iv.lo === iv.hi) p.at.set(rank, iv.lo);
    else if (local === iv.n - 1) p.at.set(rank, iv.hi);
    else {
      if (target === null || target.interval !== iv) {
        target = { pending: p, interval: iv, ranks: [] };
        targets.push(target);
      }
      target.ranks.push(local);
    }
  }
  return p;
}
