// Per-slice summaries for the timeslice exports (sliceRecords + summarize per slice) and each slice's HDR
// histogram per per-request metric (sliceHistograms), computed from results.duckdb in SQL, in batches
// of slices so that memory stays bounded however long the run.
import type { DuckDBConnection } from "@duckdb/node-api";
import type { MetricTag } from "../metrics/metric-table.ts";
import { HISTOGRAM_TAGS, newHdrHistogram, sliceHistogramRow, type SliceHistogram } from "../metrics/slice-histograms.ts";
import type { Summary } from "../metrics/summary.ts";
import type { Bin } from "./binned-stats.ts";
import { cellNumber as num, sqlDouble } from "./sql-text.ts";
import { emptyParts, profilingRows, rows, seqRange, summarizeGroups, toSummary, type DbSummaryOptions, type Scope } from "./summary-db.ts";

export interface DbSliceSummary {
  index: number;
  /** Bucket bounds, epoch ns (as metrics/timeslices.ts cuts them). */
  startNs: number;
  endNs: number;
  summary: Summary;
}

export interface DbSliceOptions extends DbSummaryOptions {
  sliceNs: number;
  /** Receives each slice's HDR histogram per per-request metric as soon as it is built. */
  onHistogram?: (h: SliceHistogram) => void;
  /** Slices are computed in batches of about this many requests (default SLICE_BATCH_REQUESTS). */
  batchRequests?: number;
}

/** Requests per batch of slices (see summarizeSlicesDb). */
const SLICE_BATCH_REQUESTS = 100_000;
/** Slack on the start_ns pre-filter of a batch: far beyond float64 rounding of epoch ns (256 ns). */
const SLICE_MARGIN_NS = 1_000_000;

/** AIPerf's slice of a request: floor(start_ns / slice_ns) in float64, as sliceRecords computes it. */
const sliceBucket = (sliceNs: number): string => `floor("start_ns"::DOUBLE / ${sqlDouble(sliceNs)})`;

/**
 * One summary per time slice (sliceRecords + summarize per slice), and, through onHistogram, the
 * HDR histograms of sliceHistograms(), built from the same bins (each bin lies inside one HDR bucket).
 */
export async function summarizeSlicesDb(conn: DuckDBConnection, opts: DbSliceOptions): Promise<DbSliceSummary[]> {
  if (!(opts.sliceNs > 0)) throw new RangeError(`slice length must be > 0 ns (was ${opts.sliceNs})`);
  const sliceNs = opts.sliceNs;
  const profiling = profilingRows(opts.runId);
  const bucket = sliceBucket(sliceNs);
  const buckets = await rows(conn, `SELECT ${bucket} AS b, count(*)::DOUBLE FROM requests WHERE ${profiling} GROUP BY b ORDER BY b`);
  const meta = new Map<number, { index: number; startNs: number; endNs: number }>();
  for (const [index, [b]] of buckets.entries()) meta.set(num(b!), { index, startNs: num(b!) * sliceNs, endNs: (num(b!) + 1) * sliceNs });
  const onBins =
    opts.onHistogram &&
    ((b: number, tag: MetricTag, bins: readonly Bin[], k: number) => {
      if (!HISTOGRAM_TAGS.has(tag)) return;
      const h = newHdrHistogram();
      let anyZero = false;
      for (const bin of bins) {
        // All values of a bin record into one HDR bucket: its ends keep the histogram's exact min and max.
        const lo = Math.max(0, Math.round(bin.lo * k));
        const hi = Math.max(0, Math.round(bin.hi * k));
        if (lo === 0) anyZero = true;
        if (bin.n === 1) h.recordValue(lo);
        else {
          h.recordValueWithCount(lo, bin.n - 1);
          h.recordValue(hi);
        }
      }
      opts.onHistogram!(sliceHistogramRow(meta.get(b)!, tag, h, anyZero));
      h.destroy();
    });
  // Consecutive slices in batches of about SLICE_BATCH_REQUESTS requests, so the queries' hash
  // tables stay small however many slices the run has.
  const out: DbSliceSummary[] = [];
  const batch = opts.batchRequests ?? SLICE_BATCH_REQUESTS;
  for (let i = 0; i < buckets.length; ) {
    let j = i;
    let requests = 0;
    do requests += num(buckets[j++]![1]!);
    while (j < buckets.length && requests + num(buckets[j]![1]!) <= batch);
    const lo = num(buckets[i]![0]!);
    const hi = num(buckets[j - 1]![0]!);
    // The start_ns bounds only prune (a margin past float64 rounding); the bucket test decides.
    const where = `${profiling} AND "start_ns" BETWEEN ${Math.floor(lo * sliceNs) - SLICE_MARGIN_NS} AND ${Math.ceil((hi + 1) * sliceNs) + SLICE_MARGIN_NS}
      AND ${bucket} BETWEEN ${sqlDouble(lo)} AND ${sqlDouble(hi)}`;
    const scope: Scope = { runId: opts.runId, where, g: bucket, seqs: await seqRange(conn, opts.runId, where) };
    const groups = await summarizeGroups(conn, opts, scope, onBins);
    for (let k = i; k < j; k++) {
      const b = num(buckets[k]![0]!);
      out.push({ ...meta.get(b)!, summary: toSummary(groups.get(b) ?? emptyParts(), opts) });
    }
    i = j;
  }
  return out;
}
