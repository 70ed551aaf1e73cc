// Exact statistics of many value series at once (count, sum, min, max, population std, numpy's linear
// percentiles), computed in DuckDB with bounded memory, without sorting the values:
//
//  1. One GROUP BY puts every value into a narrow bin and returns per bin its count, min, max, sum and
//     variance, ordered by value (or the bins come from store/live-bins.ts, kept as a run stored the
//     values). From these come count, sum, min, max and std (bins merged with Chan's formula), the HDR
//     histogram ("hdr" bins), and the rank of every order statistic a percentile needs.
//  2. Order statistics that fall inside a bin (not at its ends) are read in one more query over just
//     the series that need it, filtered to those bins' keys: their distinct values, and the ranks
//     picked with a running count. (A filter on value ranges instead, `v BETWEEN a AND b OR ...`,
//     ran 10x slower than recomputing the key.)
//
// quantile_cont gives the same percentiles but keeps every value of a series in memory and took
// 5 s for 19 M values on the 2-core test box; here memory is bounded by the number of bins.
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { percentileOf, percentileRanks, type Stats } from "../metrics/stats.ts";
import { HDR_KEY, hdrShift, roundKey } from "./bin-keys.ts";
import { cellNumber, sqlDouble } from "./sql-text.ts";

export interface Series {
  /** Series id (>= 0, unique in a call). */
  id: number;
  /** SQL yielding columns g (group, e.g. a time-slice bucket; an integer exact in a DOUBLE) and v (DOUBLE). NULL v are ignored. */
  sql: string;
  /** v * k rounded is the integer an HDR histogram records (see metrics/slice-histograms.ts); used by "hdr" bins. */
  k: number;
  /**
   * The values are integers of another unit converted (ns shown in ms: v = ns * toDisplay): percentiles
   * then interpolate between the integers, round(v * toInternal), and convert the result, exactly as
   * the in-memory summary does, instead of interpolating between the converted values (1 ulp apart).
   */
  integers?: { toInternal: number; toDisplay: number };
}

/** A bin: values of one series and group with the same key, i.e. in one narrow value range. */
export interface Bin {
  n: number;
  lo: number;
  hi: number;
}

export interface BinnedStatsOptions {
  percentiles: readonly number[];
  /**
   * "round" (default): v rounded to 11 significant bits (1024 bins per octave), nearly free to compute.
   * "hdr": v * k rounded, with its bits below the top 12 cleared, so that every bin lies inside one HDR
   * bucket (3 significant digits): what onBins needs to build histograms; a few times dearer.
   */
  bins?: "round" | "hdr";
  /** Receives each (group, series)'s bins in value order, and the series' k. */
  onBins?: (g: number, id: number, bins: readonly Bin[], k: number) => void;
  /** Test hook: SQL of a bin key of column `v` (a scrambled one must still give exact results). */
  binKey?: (v: string) => string;
  /**
   * Bins already accumulated as the values were stored ("round" bins, group 0 only, see LiveBins):
   * the first query is skipped for the series it returns bins for.
   */
  live?: (id: number) => RawBin[] | undefined;
}

/** Most bin keys a pass-2 pre-filter lists per series (with more, only the join filters). */
const MAX_KEYS = 1000;

/** One series' rows as (g, m, v, key). */
function keyedSeries(s: Series, o: BinnedStatsOptions): string {
  const base = `SELECT g::DOUBLE AS g, ${s.id} AS m, v FROM (${s.sql}) WHERE v IS NOT NULL`;
  if (o.binKey) return `SELECT g, m, v, ${o.binKey("v")} AS key FROM (${base})`;
  if (o.bins === "hdr") {
    // TRY_CAST: a value beyond BIGINT (none of the metrics) gets a NULL key, a bin of its own.
    const x = `SELECT g, m, v, TRY_CAST(round(v * ${sqlDouble(s.k)}) AS BIGINT) AS x FROM (${base})`;
    const s2 = `SELECT *, ${hdrShift("x")} AS s FROM (${x})`;
    return `SELECT g, m, v, ${HDR_KEY} AS key FROM (${s2})`;
  }
  return `SELECT g, m, v, ${roundKey("v")} AS key FROM (${base})`;
}

/** BIGINT ("hdr" bins) or DOUBLE ("round" bins); NULL for a value beyond BIGINT. */
export type Key = bigint | number | null;

export interface RawBin extends Bin {
  key: Key;
  sum: number;
  varPop: number;
}

/** The live bins disagreed with the stored values (a rank was not found): the caller recomputes without them. */
export class StaleBinsError extends Error {}

/** Consecutive bins whose value ranges overlap (log2 rounding at a power of two) merged; disjoint, ascending. */
interface Interval {
  keys: Key[];
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

const num = cellNumber;

/** Statistics per group and series (values as given, e.g. display units). Series without values are absent. */
export async function binnedStats(conn: DuckDBConnection, series: readonly Series[], opts: BinnedStatsOptions): Promise<Map<number, Map<number, Stats>>> {
  const out = new Map<number, Map<number, Stats>>();
  if (series.length === 0) return out;
  if (opts.live && (opts.bins === "hdr" || opts.binKey)) throw new Error('live bins are "round" bins');
  const byId = new Map(series.map((s) => [s.id, s]));
  const done: Pending[] = [];
  const targets: Target[] = [];
  let bins: RawBin[] = [];
  let cur: { g: number; m: number } | null = null;

  const finishGroup = (): void => {
    if (cur === null || bins.length === 0) return;
    opts.onBins?.(cur.g, cur.m, bins, byId.get(cur.m)!.k);
    done.push(groupStats(cur.g, cur.m, bins, opts.percentiles, targets));
    bins = [];
  };

  const scanned = series.filter((s) => {
    const live = opts.live?.(s.id);
    if (live === undefined) return true;
    cur = { g: 0, m: s.id };
    bins = live;
    finishGroup();
    return false;
  });
  cur = null;
  if (scanned.length > 0) {
    await forEachChunk(
      conn,
      `SELECT g, m, key, count(*)::DOUBLE AS n, min(v) AS lo, max(v) AS hi, sum(v) AS s, var_pop(v) AS vp
       FROM (${scanned.map((s) => keyedSeries(s, opts)).join("\nUNION ALL ")})
       GROUP BY g, m, key ORDER BY g, m, lo`,
      (cols, rows) => {
        const [G, M, K, N, LO, HI, S, VP] = cols as [
          DuckDBValue[],
          DuckDBValue[],
          DuckDBValue[],
          DuckDBValue[],
          DuckDBValue[],
          DuckDBValue[],
          DuckDBValue[],
          DuckDBValue[],
        ];
        for (let i = 0; i < rows; i++) {
          const g = num(G[i]!);
          const m = num(M[i]!);
          if (cur === null || cur.g !== g || cur.m !== m) {
            finishGroup();
            cur = { g, m };
          }
          bins.push({ key: K[i] as Key, n: num(N[i]!), lo: num(LO[i]!), hi: num(HI[i]!), sum: num(S[i]!), varPop: num(VP[i]!) });
        }
      },
    );
    finishGroup();
  }

  if (targets.length > 0) await readTargets(conn, series, opts, targets);

  for (const p of done) {
    const pct = new Map<number, number>();
    const at = (rank: number): number => {
      const v = p.at.get(rank);
      if (v === undefined) throw new StaleBinsError(`order statistic ${rank} of series ${p.m} not found in its bin`);
      return v;
    };
    const ints = byId.get(p.m)!.integers;
    for (const q of opts.percentiles) {
      pct.set(q, ints ? percentileOf(p.n, q, (rank) => Math.round(at(rank) * ints.toInternal)) * ints.toDisplay : percentileOf(p.n, q, at));
    }
    const byM = out.get(p.g) ?? new Map<number, Stats>();
    byM.set(p.m, { count: p.n, avg: p.sum / p.n, min: p.min, max: p.max, sum: p.sum, std: p.std, percentiles: pct });
    out.set(p.g, byM);
  }
  return out;
}

/** Keys of a series' target bins, as a filter applied right after the key is computed (the join then meets few rows). */
function keysFilter(list: readonly Target[]): string {
  const keys = [...new Set(list.flatMap((t) => t.interval.keys))];
  if (keys.length === 0 || keys.length > MAX_KEYS || keys.some((k) => typeof k !== "number" && typeof k !== "bigint")) return "";
  return ` WHERE key IN (${keys.map(keySql).join(", ")})`;
}

const keySql = (k: Key): string => (typeof k === "number" ? sqlDouble(k) : String(k));

/** Reads the order statistics inside bins: distinct values of just those bins, with a running count. */
async function readTargets(conn: DuckDBConnection, series: readonly Series[], opts: BinnedStatsOptions, list: readonly Target[]): Promise<void> {
  const id = `__llmbench_bins_${crypto.randomUUID().replace(/-/g, "")}`;
  const bySeries = new Map<number, Target[]>();
  for (const t of list) bySeries.set(t.pending.m, [...(bySeries.get(t.pending.m) ?? []), t]);
  const keyed = series
    .filter((s) => bySeries.has(s.id))
    .map((s) => `SELECT * FROM (${keyedSeries(s, opts)})${keysFilter(bySeries.get(s.id)!)}`)
    .join("\nUNION ALL ");
  await conn.run(`CREATE TEMP TABLE ${id}_t (tid INTEGER, g DOUBLE, m INTEGER, key ${opts.bins === "hdr" && !opts.binKey ? "BIGINT" : "DOUBLE"})`);
  await conn.run(`CREATE TEMP TABLE ${id}_r (tid INTEGER, r DOUBLE)`);
  try {
    const t = await conn.createAppender(`${id}_t`, "main", "temp");
    const r = await conn.createAppender(`${id}_r`, "main", "temp");
    list.forEach((target, tid) => {
      for (const key of target.interval.keys) {
        t.appendInteger(tid);
        t.appendDouble(target.pending.g);
        t.appendInteger(target.pending.m);
        if (key === null) t.appendNull();
        else if (typeof key === "bigint") t.appendBigInt(key);
        else t.appendDouble(key);
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
      `WITH __hit AS (SELECT t.tid, x.v, count(*)::DOUBLE AS n FROM (${keyed}) x JOIN ${id}_t t ON x.g = t.g AND x.m = t.m AND x.key IS NOT DISTINCT FROM t.key GROUP BY t.tid, x.v),
       __cum AS (SELECT tid, v, n, sum(n) OVER (PARTITION BY tid ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS upto,
                   sum(n) OVER (PARTITION BY tid) AS total FROM __hit)
       SELECT c.tid, r.r, c.v, c.total FROM __cum c JOIN ${id}_r r ON c.tid = r.tid AND r.r >= c.upto - c.n AND r.r < c.upto`,
      (cols, rows) => {
        const [TID, R, V, TOTAL] = cols as [DuckDBValue[], DuckDBValue[], DuckDBValue[], DuckDBValue[]];
        for (let i = 0; i < rows; i++) {
          const target = list[num(TID[i]!)]!;
          // Bins from elsewhere (LiveBins) must count what the table holds.
          if (num(TOTAL[i]!) !== target.interval.n)
            throw new StaleBinsError(`a bin of series ${target.pending.m} holds ${num(TOTAL[i]!)} values, not ${target.interval.n}`);
          target.pending.at.set(target.interval.start + num(R[i]!), num(V[i]!));
        }
      },
    );
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${id}_t`);
    await conn.run(`DROP TABLE IF EXISTS ${id}_r`);
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
