// The numbers behind one run's charts, each from one aggregating SQL query over results.duckdb.
import { niceStep } from "./axes.ts";
import { firstRow, ident, jsonCell, num, num0, numList, PROFILING, type Query, rowObjects, sqlNum, VALID } from "./sql.ts";

export interface RunInfo {
  runId: string;
  config: Record<string, unknown>;
  toolVersion: string;
  host: string;
  /** Columns of `requests` (telemetry-era and older files differ). */
  columns: ReadonlySet<string>;
  tables: ReadonlySet<string>;
  /** The sweep point this run belongs to (runs.sweep_point, 1-based), when a sweep wrote it. */
  sweepPoint: number | null;
}

export async function runInfo(q: Query): Promise<RunInfo> {
  const tables = new Set((await q("SELECT view_name FROM duckdb_views() WHERE NOT internal")).rows.map((r) => String(r[0])));
  if (!tables.has("runs") || !tables.has("requests")) throw new Error("not an llmbench results database (no runs or requests table)");
  const cols = (await q("SELECT * FROM requests LIMIT 0")).columns;
  const r = firstRow(await q("SELECT * FROM runs LIMIT 1"));
  const config = jsonCell<Record<string, unknown>>(r.config) ?? {};
  return {
    runId: String(r.run_id ?? ""),
    config,
    toolVersion: String(r.tool_version ?? ""),
    host: String(r.host ?? ""),
    columns: new Set(cols),
    tables,
    sweepPoint: num(r.sweep_point),
  };
}

export interface RunTotals {
  requests: number;
  ok: number;
  cancelled: number;
  /** Profiling span, epoch ns: first start to last end. */
  startNs: number;
  endNs: number;
  outputTokens: number;
  inputTokens: number;
  /** Requests that met every SLO; null without --goodput. */
  good: number | null;
}

export async function runTotals(q: Query, good: string | null): Promise<RunTotals> {
  const r = firstRow(
    await q(`SELECT count(*) AS n, count(*) FILTER (WHERE ${VALID}) AS ok, count(*) FILTER (WHERE coalesce("cancelled", false)) AS cancelled,
      min("start_ns") AS t0, max(coalesce("end_ns", "start_ns")) AS t1,
      coalesce(sum("output_tokens") FILTER (WHERE ${VALID}), 0) AS out_tok, coalesce(sum("input_tokens") FILTER (WHERE ${VALID}), 0) AS in_tok,
      ${good === null ? "NULL" : `count(*) FILTER (WHERE ${good})`} AS good
      FROM requests WHERE ${PROFILING}`),
  );
  return {
    requests: num0(r.n),
    ok: num0(r.ok),
    cancelled: num0(r.cancelled),
    startNs: num0(r.t0),
    endNs: num0(r.t1),
    outputTokens: num0(r.out_tok),
    inputTokens: num0(r.in_tok),
    good: num(r.good),
  };
}

export const CDF_PS: readonly number[] = [...Array.from({ length: 100 }, (_, i) => i / 100), 0.995, 0.999, 1];

export interface Distribution {
  n: number;
  min: number;
  max: number;
  /** Bins cover [min, top]; `above` values past top are counted in the last bin. */
  top: number;
  above: number;
  bins: { lo: number; hi: number; count: number }[];
  /** Value at each of CDF_PS (empty for integer distributions, which draw no CDF). */
  quantiles: number[];
}

/**
 * Exact quantile_cont values at each p (position (n-1)p, linear interpolation), from one sort of the
 * values: DuckDB's list form quantile_cont(x, [p, ...]) selects once per p, six times slower at 103
 * quantiles over 1 M rows. `values` is a SELECT of one column named x.
 */
export async function exactQuantiles(q: Query, values: string, ps: readonly number[]): Promise<{ n: number; values: number[] }> {
  const rows = rowObjects(
    await q(`WITH v AS (${values}),
      r AS (SELECT x, row_number() OVER (ORDER BY x) - 1 AS i, count(*) OVER () AS n FROM v),
      ps AS (SELECT unnest([${ps.join(", ")}]::DOUBLE[]) AS p)
      SELECT i, x, n FROM r WHERE i IN (SELECT floor((r.n - 1) * p)::BIGINT FROM ps UNION SELECT ceil((r.n - 1) * p)::BIGINT FROM ps) ORDER BY i`),
  );
  const n = num0(rows[0]?.n);
  if (n === 0) return { n: 0, values: [] };
  const at = new Map(rows.map((r) => [num0(r.i), num0(r.x)]));
  return {
    n,
    values: ps.map((p) => {
      const h = (n - 1) * p;
      const lo = at.get(Math.floor(h)) ?? Number.NaN;
      const hi = at.get(Math.ceil(h)) ?? lo;
      return lo + (h - Math.floor(h)) * (hi - lo);
    }),
  };
}

/** Histogram bins and CDF of one column over valid profiling requests; null when it has no value. */
export async function distribution(q: Query, column: string, opts: { bins?: number; integer?: boolean } = {}): Promise<Distribution | null> {
  const nb = opts.bins ?? 40;
  const c = ident(column);
  const values = `SELECT ${c}::DOUBLE AS x FROM requests WHERE ${PROFILING} AND ${VALID} AND ${c} IS NOT NULL AND isfinite(${c}::DOUBLE)`;
  let n: number;
  let min: number;
  let max: number;
  let top: number;
  let quantiles: number[] = [];
  if (opts.integer) {
    // Token counts: bins of whole tokens over [min, max], no CDF (no sort needed).
    const r = firstRow(await q(`SELECT count(*) AS n, min(x) AS lo, max(x) AS hi FROM (${values})`));
    n = num0(r.n);
    min = num0(r.lo);
    max = top = num0(r.hi);
  } else {
    const qs = await exactQuantiles(q, values, CDF_PS);
    n = qs.n;
    quantiles = qs.values;
    min = quantiles[0] ?? 0;
    max = quantiles.at(-1) ?? 0;
    top = quantiles[CDF_PS.indexOf(0.999)] ?? max;
  }
  if (n === 0) return null;
  const w = opts.integer ? Math.max(1, Math.ceil((top - min + 1) / nb)) : Math.max((top - min) / nb, 1e-9);
  const rows = rowObjects(
    await q(`SELECT least(greatest(floor((x - ${sqlNum(min)}) / ${sqlNum(w)}), 0), ${nb - 1})::INTEGER AS bin, count(*) AS c,
      count(*) FILTER (WHERE x > ${sqlNum(top)}) AS above FROM (${values}) GROUP BY bin ORDER BY bin`),
  );
  const counts = new Map(rows.map((r) => [num0(r.bin), num0(r.c)]));
  const last = Math.max(0, ...counts.keys());
  const bins = Array.from({ length: last + 1 }, (_, i) => ({ lo: min + i * w, hi: min + (i + 1) * w, count: counts.get(i) ?? 0 }));
  return { n, min, max, top, above: rows.reduce((a, r) => a + num0(r.above), 0), bins, quantiles };
}

/** Value at probability p from a distribution's quantiles (p must be one of CDF_PS). */
export function quantileAt(d: Distribution, p: number): number {
  const i = CDF_PS.findIndex((x) => Math.abs(x - p) < 1e-12);
  return d.quantiles[i] ?? Number.NaN;
}

/** Time bucket for per-time charts: --slice-duration when it gives at most 400 buckets, else ~60 nice buckets. */
export function bucketNs(spanNs: number, sliceSeconds?: number): number {
  if (sliceSeconds !== undefined && sliceSeconds > 0 && spanNs / (sliceSeconds * 1e9) <= 400) return sliceSeconds * 1e9;
  return Math.max(1e6, niceStep(spanNs / 60 / 1e6) * 1e6);
}

export interface TimeSeries {
  bucketNs: number;
  /** Bucket start, seconds since the first request. */
  t: number[];
  ttftP50: (number | null)[];
  ttftP99: (number | null)[];
  itlP50: (number | null)[];
  itlP99: (number | null)[];
  /** Per second over each bucket, by request end. */
  outputTokensPerSec: number[];
  requestsPerSec: number[];
  failedPerSec: number[];
  goodPerSec: number[] | null;
  /** Requests in flight during the bucket, time-weighted mean. */
  inFlight: number[];
}

export async function timeSeries(q: Query, totals: RunTotals, columns: ReadonlySet<string>, good: string | null, sliceSeconds?: number): Promise<TimeSeries> {
  const B = bucketNs(totals.endNs - totals.startNs, sliceSeconds);
  const t0 = sqlNum(totals.startNs);
  const bucket = (col: string) => `floor((${col} - ${t0}) / ${sqlNum(B)})::INTEGER`;
  const n = Math.max(1, Math.floor((totals.endNs - totals.startNs) / B) + 1);
  const has = (c: string) => columns.has(c);
  const pq = (c: string) => (has(c) ? `quantile_cont(${ident(c)}, [0.5, 0.99]::DOUBLE[])` : "NULL");
  const lat = rowObjects(
    await q(`SELECT ${bucket('"start_ns"')} AS b, ${pq("time_to_first_token")} AS ttft, ${pq("inter_token_latency")} AS itl
      FROM requests WHERE ${PROFILING} AND ${VALID} GROUP BY b ORDER BY b`),
  );
  const thr = rowObjects(
    await q(`SELECT ${bucket('coalesce("end_ns", "start_ns")')} AS b, count(*) FILTER (WHERE ${VALID}) AS ok, count(*) FILTER (WHERE NOT ${VALID}) AS bad,
      coalesce(sum("output_tokens") FILTER (WHERE ${VALID}), 0) AS tok, ${good === null ? "NULL" : `count(*) FILTER (WHERE ${good})`} AS good
      FROM requests WHERE ${PROFILING} GROUP BY b ORDER BY b`),
  );
  // In flight, without sorting the run: per bucket, the count and summed offsets of starts and of ends.
  const edges = rowObjects(
    await q(`SELECT b, sum(s) AS s, sum(ss) AS ss, sum(e) AS e, sum(es) AS es FROM (
        SELECT ${bucket('"start_ns"')} AS b, count(*) AS s, sum("start_ns" - ${t0})::DOUBLE AS ss, 0 AS e, 0::DOUBLE AS es FROM requests WHERE ${PROFILING} GROUP BY b
        UNION ALL
        SELECT ${bucket('coalesce("end_ns", "start_ns")')}, 0, 0::DOUBLE, count(*), sum(coalesce("end_ns", "start_ns") - ${t0})::DOUBLE FROM requests WHERE ${PROFILING} GROUP BY 1)
      GROUP BY b ORDER BY b`),
  );
  const fill = <T>(v: T) => Array.from({ length: n }, () => v);
  const ts: TimeSeries = {
    bucketNs: B,
    t: Array.from({ length: n }, (_, i) => (i * B) / 1e9),
    ttftP50: fill(null),
    ttftP99: fill(null),
    itlP50: fill(null),
    itlP99: fill(null),
    outputTokensPerSec: fill(0),
    requestsPerSec: fill(0),
    failedPerSec: fill(0),
    goodPerSec: good === null ? null : fill(0),
    inFlight: fill(0),
  };
  const perSec = 1e9 / B;
  for (const r of lat) {
    const b = num(r.b);
    if (b === null || b < 0 || b >= n) continue;
    const ttft = numList(r.ttft);
    const itl = numList(r.itl);
    ts.ttftP50[b] = ttft[0] ?? null;
    ts.ttftP99[b] = ttft[1] ?? null;
    ts.itlP50[b] = itl[0] ?? null;
    ts.itlP99[b] = itl[1] ?? null;
  }
  for (const r of thr) {
    const b = num(r.b);
    if (b === null || b < 0 || b >= n) continue;
    ts.outputTokensPerSec[b] = num0(r.tok) * perSec;
    ts.requestsPerSec[b] = num0(r.ok) * perSec;
    ts.failedPerSec[b] = num0(r.bad) * perSec;
    if (ts.goodPerSec) ts.goodPerSec[b] = num0(r.good) * perSec;
  }
  ts.inFlight = inFlightMeans(
    n,
    B,
    edges.map((r) => ({ b: num0(r.b), starts: num0(r.s), startOffsetsNs: num0(r.ss), ends: num0(r.e), endOffsetsNs: num0(r.es) })),
  );
  return ts;
}

export interface BucketEdges {
  b: number;
  starts: number;
  /** Sum of the starts' offsets from the first start, ns. */
  startOffsetsNs: number;
  ends: number;
  endOffsetsNs: number;
}

/**
 * Time-weighted mean of requests in flight per bucket: the integral of (starts so far - ends so far)
 * over the bucket, divided by its length. A start at s inside bucket [b0, b1) adds (b1 - s); one
 * before it adds the whole bucket; ends subtract the same way.
 */
export function inFlightMeans(n: number, bucketNs: number, edges: readonly BucketEdges[]): number[] {
  const by = new Map(edges.map((e) => [e.b, e]));
  const out: number[] = [];
  let open = 0; // started minus ended before this bucket
  for (let b = 0; b < n; b++) {
    const e = by.get(b);
    const b1 = (b + 1) * bucketNs;
    const area = open * bucketNs + (e ? e.starts * b1 - e.startOffsetsNs - (e.ends * b1 - e.endOffsetsNs) : 0);
    out.push(Math.max(0, area / bucketNs));
    if (e) open += e.starts - e.ends;
  }
  return out;
}

export interface Scatter {
  /** Seconds since the first request, latency in ms, failed or not. */
  x: number[];
  y: number[];
  failed: boolean[];
  /** Requests of each kind, and how many of them are drawn. */
  okTotal: number;
  failedTotal: number;
  okShown: number;
  failedShown: number;
}

/**
 * Latency against start time for a deterministic sample: requests whose id hashes to 0 mod k, k from
 * the count (no sort of the run), failures sampled apart so they always show; at most the caps.
 */
export async function latencyScatter(q: Query, totals: RunTotals, maxOk = 4000, maxFailed = 1000): Promise<Scatter> {
  const failed = totals.requests - totals.ok;
  const kOk = Math.max(1, Math.ceil(totals.ok / maxOk));
  const kBad = Math.max(1, Math.ceil(failed / maxFailed));
  // Two plain filtered scans: a CASE in the modulus makes DuckDB evaluate it row by row (20x slower).
  const sample = (bad: boolean, k: number, cap: number) =>
    `(SELECT (("start_ns" - ${sqlNum(totals.startNs)}) / 1e9)::DOUBLE AS x,
        coalesce("request_latency", (coalesce("end_ns", "start_ns") - "start_ns") / 1e6)::DOUBLE AS y, ${bad} AS bad, hash("x_request_id") AS h
      FROM requests WHERE ${PROFILING} AND ${bad ? "NOT " : ""}${VALID} AND h % ${k} = 0 ORDER BY h LIMIT ${cap})`;
  const rows = rowObjects(await q(`SELECT x, y, bad FROM (${sample(false, kOk, maxOk)} UNION ALL ${sample(true, kBad, maxFailed)}) ORDER BY bad, x`));
  const s: Scatter = { x: [], y: [], failed: [], okTotal: totals.ok, failedTotal: failed, okShown: 0, failedShown: 0 };
  for (const r of rows) {
    const bad = r.bad === true;
    s.x.push(num0(r.x));
    s.y.push(num0(r.y));
    s.failed.push(bad);
    if (bad) s.failedShown++;
    else s.okShown++;
  }
  return s;
}

export interface ErrorRow {
  type: string;
  code: number | null;
  count: number;
  /** One message of that kind (as the server sent it: escape before showing). */
  message: string;
}

export async function errorBreakdown(q: Query, limit = 12): Promise<ErrorRow[]> {
  const rows = rowObjects(
    await q(`SELECT coalesce("error_type", CASE WHEN coalesce("cancelled", false) THEN 'cancelled' ELSE 'error' END) AS t, "error_code" AS code,
      count(*) AS c, min("error_message") AS msg FROM requests WHERE ${PROFILING} AND NOT ${VALID} GROUP BY t, code ORDER BY c DESC, t LIMIT ${limit}`),
  );
  return rows.map((r) => ({ type: String(r.t), code: num(r.code), count: num0(r.c), message: r.msg === null ? "" : String(r.msg) }));
}
