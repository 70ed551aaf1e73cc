// The run summary computed from results.duckdb in SQL (per-slice summaries: slices-db.ts), so no
// record is held in memory: the same numbers as metrics/summary.ts's summarize() over the same
// records (to ~1e-12 relative: sums run in another order), since every per-request value is the
// stored output of recordValues() and the derived metrics come from the same assembleSummary().
// Profiling-phase requests only; `requests` must be the table (its rowid orders the error summary).
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { metricEnabled, CANCELLED_ERROR } from "../metrics/record-values.ts";
import type { MetricTag } from "../metrics/metric-table.ts";
import type { Stats } from "../metrics/stats.ts";
import { assembleSummary, percentileList, type ErrorCount, type Summary, type SummaryOptions } from "../metrics/summary.ts";
import { conversionFactor } from "../metrics/units.ts";
import { StaleBinsError, binnedStats, type Bin, type Series } from "./binned-stats.ts";
import type { LiveBins } from "./live-bins.ts";
import { METRIC_COLUMNS, type MetricColumn } from "./metric-columns.ts";
import { cellNumber, cellNumberOrNull, sqlDouble, sqlIdent, sqlString } from "./sql-text.ts";

export interface DbSummaryOptions extends SummaryOptions {
  /** The run to summarize; every row of the table when absent. */
  runId?: string;
}

const VALID = `("error_type" IS NULL AND NOT "cancelled")`;

export function profilingRows(runId: string | undefined): string {
  return `"phase" = 'profiling'${runId === undefined ? "" : ` AND "run_id" = ${sqlString(runId)}`}`;
}

const num = cellNumber;
const numOrNull = cellNumberOrNull;
const ident = sqlIdent;

export async function rows(conn: DuckDBConnection, sql: string): Promise<DuckDBValue[][]> {
  return (await conn.runAndReadAll(sql)).getRows();
}

/** Record metrics whose values are summarized: enabled under these options, in table order. */
function recordSeries(opts: SummaryOptions) {
  return METRIC_COLUMNS.filter((c) => c.spec.kind === "record" && metricEnabled(c.spec, opts));
}

/** The requests a computation covers and how they are grouped. */
export interface Scope {
  runId: string | undefined;
  /** Condition on requests: profiling rows of the run, maybe of a range of slices. */
  where: string;
  /** Group of a request: "0", or its slice bucket. */
  g: string;
  /** The scope's requests' seqs lie within first..last; `exact`: every request there is in scope. */
  seqs: SeqRange | null;
}

interface SeqRange {
  first: number;
  last: number;
  exact: boolean;
}

/** One Series per summarized record metric. */
function metricSeries(opts: SummaryOptions, scope: Scope): Series[] {
  return recordSeries(opts).map((c, id) => {
    const { spec } = c;
    // Integer ns shown in ms: percentiles interpolate in ns, as summarize() does, then convert.
    const integers =
      spec.valueType !== "float" && spec.unit !== spec.displayUnit
        ? { toInternal: conversionFactor(spec.displayUnit, spec.unit), toDisplay: conversionFactor(spec.unit, spec.displayUnit) }
        : undefined;
    return { id, k: c.hdrFactor, integers, sql: seriesSql(c, scope) };
  });
}

/**
 * A metric's (g, v) rows. Per-chunk values (inter_chunk_latency) are read by their request's seq: a
 * plain seq range when the scope holds every request in it (warmup stored first: the usual run
 * summary), else a join with the scope's requests, the chunks pruned to the seq range.
 */
function seriesSql(c: MetricColumn, { runId, where, g, seqs }: Scope): string {
  const col = ident(c.tag);
  if (c.table === "requests") return `SELECT ${g} AS g, ${col}::DOUBLE AS v FROM requests WHERE ${where}`;
  const inRun = runId === undefined ? "TRUE" : `"run_id" = ${sqlString(runId)}`;
  const inSeqs = seqs === null ? "TRUE" : `"seq" BETWEEN ${seqs.first} AND ${seqs.last}`;
  if (seqs?.exact && runId !== undefined && g === "0") return `SELECT 0 AS g, ${col}::DOUBLE AS v FROM chunks WHERE ${inRun} AND ${inSeqs}`;
  // Within one run seq alone is the key (a join on (run_id, seq) costs twice as much).
  return runId === undefined
    ? `SELECT r.g, c.${col}::DOUBLE AS v FROM (SELECT "run_id", "seq", ${g} AS g FROM requests WHERE ${where}) r
        JOIN (SELECT "run_id", "seq", ${col} FROM chunks WHERE ${inSeqs}) c ON c."seq" = r."seq" AND c."run_id" = r."run_id"`
    : `SELECT r.g, c.${col}::DOUBLE AS v FROM (SELECT "seq", ${g} AS g FROM requests WHERE ${where}) r
        JOIN (SELECT "seq", ${col} FROM chunks WHERE ${inRun} AND ${inSeqs}) c ON c."seq" = r."seq"`;
}

/** min and max seq of the requests matching `where`, exact when no other request of the run lies between. */
export async function seqRange(conn: DuckDBConnection, runId: string | undefined, where: string): Promise<SeqRange | null> {
  if (runId === undefined) return null;
  const [[first, last, n, all]] = (await rows(
    conn,
    `WITH p AS (SELECT min("seq") AS first, max("seq") AS last, count(*) AS n FROM requests WHERE ${where})
     SELECT first, last, n, (SELECT count(*) FROM requests WHERE "run_id" = ${sqlString(runId)} AND "seq" BETWEEN p.first AND p.last) FROM p`,
  )) as [[DuckDBValue, DuckDBValue, DuckDBValue, DuckDBValue]];
  if (first === null || last === null) return null;
  const f = num(first);
  const l = num(last);
  return { first: f, last: l, exact: num(n) === l - f + 1 && num(all) === num(n) };
}

export interface GroupParts {
  recordCount: number;
  counters: Map<MetricTag, number>;
  durationNs: number | undefined;
  errors: ErrorCount[];
  stats: Map<MetricTag, Stats>;
}

export const emptyParts = (): GroupParts => ({ recordCount: 0, counters: new Map(), durationNs: undefined, errors: [], stats: new Map() });

/** Counts, counters, duration and errors per group g. */
async function groupCounts(conn: DuckDBConnection, opts: SummaryOptions, { where, g }: Scope): Promise<Map<number, GroupParts>> {
  const counters = METRIC_COLUMNS.filter((c) => c.spec.kind === "aggregate" && metricEnabled(c.spec, opts));
  const latency = METRIC_COLUMNS.find((c) => c.tag === "request_latency")!;
  const toNs = sqlDouble(conversionFactor(latency.spec.displayUnit, latency.spec.unit));
  const out = new Map<number, GroupParts>();
  const counted = await rows(
    conn,
    `SELECT ${g} AS g, count(*)::DOUBLE,
       min("start_ns"::DOUBLE) FILTER (WHERE ${VALID}),
       max("start_ns"::DOUBLE + round("request_latency" * ${toNs})) FILTER (WHERE ${VALID} AND "request_latency" IS NOT NULL)
       ${counters.map((c) => `, sum(${ident(c.tag)})::DOUBLE`).join("")}
     FROM requests WHERE ${where} GROUP BY 1`,
  );
  for (const row of counted) {
    const p = emptyParts();
    p.recordCount = num(row[1]!);
    const minStart = numOrNull(row[2]!);
    const maxResponse = numOrNull(row[3]!);
    if (minStart !== null && maxResponse !== null && maxResponse > minStart) p.durationNs = maxResponse - minStart;
    counters.forEach((c, i) => {
      const v = numOrNull(row[4 + i]!);
      if (v !== null) p.counters.set(c.tag, v);
    });
    out.set(num(row[0]!), p);
  }
  const c = CANCELLED_ERROR;
  const errors = await rows(
    conn,
    `SELECT ${g} AS g,
       CASE WHEN "error_type" IS NULL THEN ${c.code} ELSE "error_code" END AS code,
       CASE WHEN "error_type" IS NULL THEN ${sqlString(c.type)} ELSE "error_type" END AS type,
       CASE WHEN "error_type" IS NULL THEN ${sqlString(c.message)} ELSE "error_message" END AS message,
       count(*)::DOUBLE AS n, min(rowid) AS first
     FROM requests WHERE ${where} AND NOT ${VALID} GROUP BY ALL ORDER BY g, first`,
  );
  for (const [gv, code, type, message, n] of errors) {
    out.get(num(gv!))!.errors.push({ error: { code: num(code!), type: String(type), message: String(message ?? "") }, count: num(n!) });
  }
  return out;
}

export async function summarizeGroups(
  conn: DuckDBConnection,
  opts: DbSummaryOptions,
  scope: Scope,
  onBins?: (g: number, tag: MetricTag, bins: readonly Bin[], k: number) => void,
  live?: LiveBins<MetricTag>,
): Promise<Map<number, GroupParts>> {
  const groups = await groupCounts(conn, opts, scope);
  const tags = recordSeries(opts).map((c) => c.tag);
  if (tags.length > 0 && groups.size > 0) {
    const stats = await binnedStats(conn, metricSeries(opts, scope), {
      percentiles: percentileList(opts.percentiles),
      // Histograms need bins that nest in HDR buckets; the plain summary takes the cheaper key.
      bins: onBins ? "hdr" : "round",
      onBins: onBins && ((gv, m, bins, k) => onBins(gv, tags[m]!, bins, k)),
      live: live && ((m) => live.bins(tags[m]!)),
    });
    for (const [gv, byM] of stats) {
      const parts = groups.get(gv)!;
      for (const [m, st] of byM) parts.stats.set(tags[m]!, st);
    }
  }
  return groups;
}

export const toSummary = (p: GroupParts, opts: SummaryOptions): Summary =>
  assembleSummary({ stats: p.stats, counters: p.counters, durationNs: p.durationNs, errorSummary: p.errors, recordCount: p.recordCount }, opts);

/** Bins of the run's profiling values kept as they were stored (ResultsWriter keeps them). */
export interface LiveSummaryBins {
  bins: LiveBins<MetricTag>;
  /** Called when they did not match the table and the summary was recomputed without them. */
  onStale?: (e: Error) => void;
}

/**
 * summarize() of the run's stored requests. `opts` must be the RecordOptions the stored values were
 * computed with (a metric disabled then has no values now), plus any extra percentiles. `live`
 * spares the full scan; the result is the same with or without.
 */
export async function summarizeDb(conn: DuckDBConnection, opts: DbSummaryOptions, live?: LiveSummaryBins): Promise<Summary> {
  const where = profilingRows(opts.runId);
  const scope: Scope = { runId: opts.runId, where, g: "0", seqs: await seqRange(conn, opts.runId, where) };
  let groups: Map<number, GroupParts>;
  try {
    groups = await summarizeGroups(conn, opts, scope, undefined, live?.bins);
  } catch (e) {
    // Bins that do not match the table (never expected): recompute them from the table.
    if (!(e instanceof StaleBinsError) || live === undefined) throw e;
    live.onStale?.(e);
    groups = await summarizeGroups(conn, opts, scope);
  }
  return toSummary(groups.get(0) ?? emptyParts(), opts);
}
