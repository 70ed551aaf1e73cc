// One HDR histogram per slice and per-request metric: mergeable across slices, runs and machines
// (stored encoded), with statistics good to the histogram's precision (3 significant digits).
// Values are recorded as integers in the metric's internal unit (ns, tokens), or in thousandths for
// fractional units (tokens/sec/user, %), `scale` says which.
import { build, encodeIntoCompressedBase64 } from "hdr-histogram-js";
import type { RequestRecord } from "../record/request-record.ts";
import { METRICS, type MetricTag } from "./metric-table.ts";
import { recordValues, type RecordOptions } from "./record-values.ts";
import type { Timeslice } from "./timeslices.ts";

export const HDR_SIGNIFICANT_DIGITS = 3;

export interface SliceHistogram {
  sliceIndex: number;
  sliceStartNs: number;
  sliceEndNs: number;
  tag: MetricTag;
  /** Internal unit of the values (before scaling). */
  unit: string;
  /** Recorded value = round(value * scale). */
  scale: number;
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  /** encodeIntoCompressedBase64: decode with hdr-histogram-js (or HdrHistogram in Java/Python) to merge. */
  encoded: string;
}

const INTEGER_UNITS = new Set(["ns", "tokens", "requests", "count"]);

export function sliceHistograms(slices: readonly Timeslice[], opts: RecordOptions): SliceHistogram[] {
  const out: SliceHistogram[] = [];
  // Per-request metrics only: aggregates (counts) and derived metrics have no distribution.
  const units = new Map<MetricTag, string>(METRICS.filter((m) => m.kind === "record").map((m) => [m.tag, m.unit]));
  for (const slice of slices) {
    const values = new Map<MetricTag, number[]>();
    for (const r of slice.records) collect(r, opts, units, values);
    for (const [tag, list] of values) {
      const unit = units.get(tag) ?? "";
      const scale = INTEGER_UNITS.has(unit) ? 1 : 1000;
      const h = build({ numberOfSignificantValueDigits: HDR_SIGNIFICANT_DIGITS, lowestDiscernibleValue: 1 });
      for (const v of list) h.recordValue(Math.max(0, Math.round(v * scale)));
      out.push({
        sliceIndex: slice.index,
        sliceStartNs: slice.startNs,
        sliceEndNs: slice.endNs,
        tag,
        unit,
        scale,
        count: h.totalCount,
        min: (list.some((v) => Math.round(v * scale) === 0) ? 0 : h.minNonZeroValue) / scale,
        max: h.maxValue / scale,
        mean: h.mean / scale,
        p50: h.getValueAtPercentile(50) / scale,
        p90: h.getValueAtPercentile(90) / scale,
        p95: h.getValueAtPercentile(95) / scale,
        p99: h.getValueAtPercentile(99) / scale,
        encoded: encodeIntoCompressedBase64(h),
      });
      h.destroy(); // frees the WebAssembly memory when that backend is in use
    }
  }
  return out;
}

function collect(r: RequestRecord, opts: RecordOptions, wanted: ReadonlyMap<MetricTag, string>, into: Map<MetricTag, number[]>): void {
  if (r.error !== null || r.cancelled) return;
  for (const [tag, v] of recordValues(r, opts)) {
    if (!wanted.has(tag)) continue;
    const list = into.get(tag) ?? [];
    if (Array.isArray(v)) list.push(...v);
    else list.push(v);
    into.set(tag, list);
  }
}
