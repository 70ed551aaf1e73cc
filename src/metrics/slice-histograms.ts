// One HDR histogram per slice and per-request metric: mergeable across slices, runs and machines
// (stored encoded), with statistics good to the histogram's precision (3 significant digits).
// Values are recorded as integers in the metric's internal unit (ns, tokens), or in thousandths for
// fractional units (tokens/sec/user, %), `scale` says which. The integer is taken from the value as
// stored (display unit, e.g. ms) times one factor, so a histogram built here from records and one
// built from the results database's columns are the same histogram.
import { build, encodeIntoCompressedBase64, type Histogram } from "hdr-histogram-js";
import type { RequestRecord } from "../record/request-record.ts";
import { METRICS, metricSpec, type MetricTag } from "./metric-table.ts";
import { recordValues, toDisplay, type RecordOptions } from "./record-values.ts";
import type { Timeslice } from "./timeslices.ts";
import { conversionFactor } from "./units.ts";

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

/** 1 for integer units, 1000 for fractional ones (values kept to a thousandth). */
export function hdrScale(unit: string): number {
  return INTEGER_UNITS.has(unit) ? 1 : 1000;
}

/** Display-unit value -> recorded integer is `max(0, round(display * factor))`. */
export function hdrFactor(tag: MetricTag): number {
  const spec = metricSpec(tag);
  return conversionFactor(spec.displayUnit, spec.unit) * hdrScale(spec.unit);
}

export const newHdrHistogram = (): Histogram => build({ numberOfSignificantValueDigits: HDR_SIGNIFICANT_DIGITS, lowestDiscernibleValue: 1 });

/** The row for one filled histogram (`anyZero`: some value was recorded as 0, which HDR's min hides). */
export function sliceHistogramRow(slice: Pick<Timeslice, "index" | "startNs" | "endNs">, tag: MetricTag, h: Histogram, anyZero: boolean): SliceHistogram {
  const unit = metricSpec(tag).unit;
  const scale = hdrScale(unit);
  return {
    sliceIndex: slice.index,
    sliceStartNs: slice.startNs,
    sliceEndNs: slice.endNs,
    tag,
    unit,
    scale,
    count: h.totalCount,
    min: (anyZero ? 0 : h.minNonZeroValue) / scale,
    max: h.maxValue / scale,
    mean: h.mean / scale,
    p50: h.getValueAtPercentile(50) / scale,
    p90: h.getValueAtPercentile(90) / scale,
    p95: h.getValueAtPercentile(95) / scale,
    p99: h.getValueAtPercentile(99) / scale,
    encoded: encodeIntoCompressedBase64(h),
  };
}

/** Per-request metrics only: aggregates (counts) and derived metrics have no distribution; error-only ones no successful request. */
export const HISTOGRAM_TAGS: ReadonlySet<MetricTag> = new Set(
  METRICS.filter((m) => m.kind === "record" && !(m.flags as readonly string[]).includes("error-only")).map((m) => m.tag),
);

/** Reference implementation over in-memory records (the run builds them from the database, see store/summary-db.ts). */
export function sliceHistograms(slices: readonly Timeslice[], opts: RecordOptions): SliceHistogram[] {
  const out: SliceHistogram[] = [];
  for (const slice of slices) {
    const values = new Map<MetricTag, number[]>();
    for (const r of slice.records) collect(r, opts, values);
    for (const [tag, list] of values) {
      const h = newHdrHistogram();
      const factor = hdrFactor(tag);
      let anyZero = false;
      for (const v of list) {
        const x = Math.max(0, Math.round(v * factor));
        if (x === 0) anyZero = true;
        h.recordValue(x);
      }
      out.push(sliceHistogramRow(slice, tag, h, anyZero));
      h.destroy(); // frees the WebAssembly memory when that backend is in use
    }
  }
  return out;
}

/** Display-unit values of a successful request's per-request metrics. */
function collect(r: RequestRecord, opts: RecordOptions, into: Map<MetricTag, number[]>): void {
  if (r.error !== null || r.cancelled) return;
  for (const [tag, v] of recordValues(r, opts)) {
    if (!HISTOGRAM_TAGS.has(tag)) continue;
    const list = into.get(tag) ?? [];
    const d = toDisplay(tag, v);
    if (Array.isArray(d)) list.push(...d);
    else list.push(d);
    into.set(tag, list);
  }
}
