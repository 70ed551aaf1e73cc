// Slice histograms of several runs of one load (the shards of a sharded run) added into one set: the
// same wall-clock slice (by its start, as every shard cuts slices at epoch multiples of the slice
// length) and metric are one histogram, whose counts are the sum of theirs, so its statistics are
// those of the union of the values. Slices are then numbered 0..N-1 in time order, as one run does.
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from "hdr-histogram-js";
import { HDR_SIGNIFICANT_DIGITS, type SliceHistogram } from "./slice-histograms.ts";

/**
 * Statistics and encoding of a summed histogram (the fields slice-histograms.ts stores). Min and max are
 * the inputs' (exact): sliceHistogramRow() reads them off the histogram, but a decoded histogram keeps
 * only bucket counts, so its extremes would be bucket bounds. Mean and percentiles come from the counts,
 * as they do for any histogram.
 */
function rowOf(list: readonly SliceHistogram[], h: Histogram): SliceHistogram {
  const first = list[0]!;
  const { scale } = first;
  const filled = list.filter((r) => r.count > 0);
  return {
    ...first,
    count: h.totalCount,
    min: Math.min(...filled.map((r) => r.min)),
    max: Math.max(...filled.map((r) => r.max)),
    mean: h.mean / scale,
    p50: h.getValueAtPercentile(50) / scale,
    p90: h.getValueAtPercentile(90) / scale,
    p95: h.getValueAtPercentile(95) / scale,
    p99: h.getValueAtPercentile(99) / scale,
    encoded: encodeIntoCompressedBase64(h),
  };
}

/** One row per (slice start, metric) over every input row, slices renumbered in time order. */
export function mergeSliceHistograms(rows: readonly SliceHistogram[]): SliceHistogram[] {
  const groups = new Map<string, SliceHistogram[]>();
  for (const r of rows) {
    const key = `${r.sliceStartNs}\u0000${r.tag}`;
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  const starts = [...new Set(rows.map((r) => r.sliceStartNs))].sort((a, b) => a - b);
  const indexOf = new Map(starts.map((s, i) => [s, i]));
  const out: SliceHistogram[] = [];
  for (const list of groups.values()) {
    const first = list[0]!;
    // A decoded histogram cannot grow: the sum starts empty and resizes to what it is given.
    const sum = build({ numberOfSignificantValueDigits: HDR_SIGNIFICANT_DIGITS, lowestDiscernibleValue: 1 });
    for (const r of list) {
      const h = decodeFromCompressedBase64(r.encoded);
      sum.add(h);
      h.destroy();
    }
    out.push({ ...rowOf(list, sum), sliceIndex: indexOf.get(first.sliceStartNs)! });
    sum.destroy();
  }
  // Slice order, then the metric order the inputs came in.
  const tagOrder = new Map<string, number>();
  for (const r of rows) if (!tagOrder.has(r.tag)) tagOrder.set(r.tag, tagOrder.size);
  return out.sort((a, b) => a.sliceIndex - b.sliceIndex || tagOrder.get(a.tag)! - tagOrder.get(b.tag)!);
}
