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
}

export async function runInfo(q: Query): Promise<RunInfo> {
  const tables = new Set((await q("SELECT view_name FROM duckdb_views() WHERE NOT internal")).rows.map((r) => String(r[0])));
  if (!tables.has("runs") || !tables.has("requests")) throw new Error("not an llmbench results database (no runs or requests table)");
  const cols = (await q("SELECT * FROM requests LIMIT 0")).columns;
  const r = firstRow(await q("SELECT run_id, config, tool_version, host FROM runs LIMIT 1"));
  const config = jsonCell<Record<string, unknown>>(r.config) ?? {};
  return { runId: String(r.run_id ?? ""), config, toolVersion: String(r.tool_version ?? ""), host: String(r.host ?? ""), columns: new Set(cols), tables };
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
  /** Value at each of CDF_PS. */
  quantiles: number[];
}

/** Histogram bins and CDF of one column over valid profiling requests; null when it has no value. */
export async function distribution(q: Query, column: string, opts: { bins?: number; integer?: boolean } = {}): Promise<Distribution | null> {
  const nb = opts.bins ?? 40;
  const c = ident(column);
  const width = opts.integer ? `greatest(ceil((s.top - s.lo + 1) / ${nb}), 1)` : `greatest((s.top - s.lo) / ${nb}, 1e-9)`;
  const r = firstRow(
    await q(`WITH v AS (SELECT ${c}::DOUBLE AS x FROM requests WHERE ${PROFILING} AND ${VALID} AND ${c} IS NOT NULL AND isfinite(${c}::DOUBLE)),
      s AS (SELECT count(*) AS n, min(x) AS lo, max(x) AS hi, quantile_cont(x, 0.999) AS top, quantile_cont(x, [${CDF_PS.join(", ")}]::DOUBLE[]) AS qs FROM v),
      b AS (SELECT least(greatest(floor((x - s.lo) / ${width}), 0), ${nb - 1})::INTEGER AS bin, count(*) AS c FROM v, s GROUP BY bin)
      SELECT s.n, s.lo, s.hi, s.top, s.qs, ${width} AS w, (SELECT list([bin, c]::DOUBLE[] ORDER BY bin) FROM b) AS bins,
        (SELECT count(*) FROM v WHERE x > s.top) AS above FROM s`),
  );
  const n = num0(r.n);
  if (n === 0) return null;
  const lo = num0(r.lo);
  const w = num0(r.w);
  const pairs = jsonCell<unknown[][]>(r.bins) ?? [];
  const counts = new Map(pairs.map((p) => [Number(p[0]), Number(p[1])]));
  const last = Math.max(0, ...counts.keys());
  const bins = Array.from({ length: last + 1 }, (_, i) => ({ lo: lo + i * w, hi: lo + (i + 1) * w, count: counts.get(i) ?? 0 }));
  return { n, min: lo, max: num0(r.hi), top: num0(r.top), above: num0(r.above), bins, quantiles: numList(r.qs) };
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
  /** Most requests in flight during the bucket. */
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
  // In flight: +1 at each start, -1 at each end, summed in time order (ends first on a tie).
  const inflight = rowObjects(
    await q(`WITH e AS (SELECT "start_ns" AS t, 1 AS d FROM requests WHERE ${PROFILING} UNION ALL SELECT coalesce("end_ns", "start_ns"), -1 FROM requests WHERE ${PROFILING}),
      c AS (SELECT t, sum(d) OVER (ORDER BY t, d ROWS UNBOUNDED PRECEDING) AS n FROM e)
      SELECT ${bucket("t")} AS b, max(n) AS peak, arg_max(n, t) AS last FROM c GROUP BY b ORDER BY b`),
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
  // A bucket without events keeps the count the previous one ended with.
  const peaks = new Map(inflight.map((r) => [num0(r.b), { peak: num0(r.peak), last: num0(r.last) }]));
  let carry = 0;
  for (let b = 0; b < n; b++) {
    const p = peaks.get(b);
    ts.inFlight[b] = p ? Math.max(p.peak, carry) : carry;
    if (p) carry = p.last;
  }
  return ts;
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

/** Latency against start time; every k-th request in start order (deterministic), failures sampled apart. */
export async function latencyScatter(q: Query, totals: RunTotals, maxOk = 4000, maxFailed = 1000): Promise<Scatter> {
  const rows = rowObjects(
    await q(`WITH r AS (SELECT "start_ns", coalesce("request_latency", (coalesce("end_ns", "start_ns") - "start_ns") / 1e6) AS y, NOT ${VALID} AS bad,
        row_number() OVER (PARTITION BY NOT ${VALID} ORDER BY "start_ns", "x_request_id") - 1 AS i, count(*) OVER (PARTITION BY NOT ${VALID}) AS n
        FROM requests WHERE ${PROFILING})
      SELECT (("start_ns" - ${sqlNum(totals.startNs)}) / 1e9)::DOUBLE AS x, y::DOUBLE AS y, bad, n FROM r
      WHERE i % greatest(1, ceil(n / CASE WHEN bad THEN ${maxFailed} ELSE ${maxOk} END))::BIGINT = 0 ORDER BY bad, x`),
  );
  const s: Scatter = { x: [], y: [], failed: [], okTotal: 0, failedTotal: 0, okShown: 0, failedShown: 0 };
  for (const r of rows) {
    const bad = r.bad === true;
    s.x.push(num0(r.x));
    s.y.push(num0(r.y));
    s.failed.push(bad);
    if (bad) {
      s.failedShown++;
      s.failedTotal = num0(r.n);
    } else {
      s.okShown++;
      s.okTotal = num0(r.n);
    }
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

export interface TelemetrySeries {
  table: string;
  metric: string;
  /** One line per GPU/endpoint (empty name when the table has no such column). */
  lines: { name: string; t: number[]; v: number[] }[];
}

const TIME_COLS = ["timestamp_ns", "time_ns", "ts_ns", "sample_ns"];
const NAME_COLS = ["metric", "name", "metric_name"];
const SPLIT_COLS = ["gpu", "gpu_index", "gpu_uuid", "url", "endpoint", "instance"];

/**
 * Server and GPU metrics sampled during the run, when a table holds them in long form: a time column
 * (*_ns), a metric name column (metric|name) and a `value`; split by gpu/url when present.
 */
export async function telemetry(q: Query, tables: ReadonlySet<string>, totals: RunTotals, maxMetrics = 8): Promise<TelemetrySeries[]> {
  const out: TelemetrySeries[] = [];
  for (const table of ["server_metrics", "gpu_metrics"]) {
    if (!tables.has(table)) continue;
    const cols = (await q(`SELECT * FROM ${ident(table)} LIMIT 0`)).columns;
    const time = TIME_COLS.find((c) => cols.includes(c)) ?? cols.find((c) => c.endsWith("_ns"));
    const name = NAME_COLS.find((c) => cols.includes(c));
    const split = SPLIT_COLS.find((c) => cols.includes(c));
    if (time === undefined || name === undefined || !cols.includes("value")) continue;
    const B = bucketNs(totals.endNs - totals.startNs);
    const rows = rowObjects(
      await q(`WITH m AS (SELECT DISTINCT ${ident(name)} AS m FROM ${ident(table)} ORDER BY m LIMIT ${maxMetrics})
        SELECT ${ident(name)}::VARCHAR AS m, ${split ? `coalesce(${ident(split)}::VARCHAR, '')` : "''"} AS s,
          floor((${ident(time)} - ${sqlNum(totals.startNs)}) / ${sqlNum(B)})::INTEGER AS b, avg("value"::DOUBLE) AS v
        FROM ${ident(table)} WHERE ${ident(name)} IN (SELECT m FROM m) AND "value" IS NOT NULL
          AND ${ident(time)} BETWEEN ${sqlNum(totals.startNs)} AND ${sqlNum(totals.endNs)}
        GROUP BY ALL ORDER BY m, s, b`),
    );
    const byMetric = new Map<string, Map<string, { name: string; t: number[]; v: number[] }>>();
    for (const r of rows) {
      const m = String(r.m);
      const s = String(r.s);
      const lines = byMetric.get(m) ?? new Map();
      byMetric.set(m, lines);
      const line = lines.get(s) ?? { name: s === "" ? "" : `${split} ${s}`, t: [], v: [] };
      lines.set(s, line);
      line.t.push((num0(r.b) * B) / 1e9);
      line.v.push(num0(r.v));
    }
    for (const [metric, lines] of byMetric) out.push({ table, metric, lines: [...lines.values()].slice(0, 8) });
  }
  return out;
}
