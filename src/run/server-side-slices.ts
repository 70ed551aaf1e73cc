// Server gauges and GPU power per --slice-duration slice, for the timeslice exports: each slice gets,
// over its profiling scrapes, the named gauges (running and waiting requests summed over series,
// KV-cache usage and hit rates averaged) and the GPUs' total power.
import { unitOf } from "../metrics/server-metrics-summary.ts";
import type { SliceExtraStat } from "../report/timeslices-export.ts";
import type { SliceGauge } from "../store/server-metrics-db.ts";

/** The key of the GPUs' summed power in a slice. */
export const GPU_POWER_KEY = "gpu_power_total";

export function sliceExtras(
  slices: readonly { index: number; startNs?: number }[],
  sliceNs: number,
  gauges: readonly SliceGauge[],
  how: ReadonlyMap<string, "gauge" | "ratio_gauge">,
  power: readonly { bucket: number; powerW: number }[],
): Map<number, Record<string, SliceExtraStat>> {
  const byBucket = new Map<number, number>();
  for (const s of slices) if (s.startNs !== undefined) byBucket.set(Math.round(s.startNs / sliceNs), s.index);
  const out = new Map<number, Record<string, SliceExtraStat>>();
  const put = (bucket: number, key: string, v: SliceExtraStat): void => {
    const index = byBucket.get(bucket);
    if (index === undefined) return; // a bucket no request started in: no slice to join
    let o = out.get(index);
    if (o === undefined) {
      o = {};
      out.set(index, o);
    }
    o[key] = v;
  };
  for (const g of gauges) {
    const ratio = how.get(g.metric) === "ratio_gauge";
    const s = ratio ? g.mean : g.sum;
    put(g.bucket, g.metric, { unit: unitOf(g.metric) ?? (ratio ? "ratio" : "requests"), ...s });
  }
  for (const p of power) put(p.bucket, GPU_POWER_KEY, { unit: "W", avg: p.powerW, min: p.powerW, max: p.powerW });
  return out;
}
