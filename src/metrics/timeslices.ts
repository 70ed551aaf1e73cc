// Time slices as AIPerf cuts them: a profiling request belongs to slice floor(start_ns / slice_ns)
// (wall-clock epoch buckets, so the first and last may be partial); empty buckets are skipped and
// the rest numbered 0..N-1. Each slice then gets its own full metric set (its own duration and
// throughputs), computed by summarize() on its requests.
import type { RequestRecord } from "../record/request-record.ts";

export interface Timeslice {
  index: number;
  /** Bucket bounds, epoch ns. */
  startNs: number;
  endNs: number;
  records: RequestRecord[];
}

export function sliceRecords(records: readonly RequestRecord[], sliceNs: number): Timeslice[] {
  if (!(sliceNs > 0)) throw new RangeError(`slice length must be > 0 ns (was ${sliceNs})`);
  const buckets = new Map<number, RequestRecord[]>();
  for (const r of records) {
    if (r.phase !== "profiling") continue;
    const b = Math.floor(r.start_ns / sliceNs);
    const list = buckets.get(b);
    if (list) list.push(r);
    else buckets.set(b, [r]);
  }
  return [...buckets.keys()].sort((a, b) => a - b).map((b, index) => ({ index, startNs: b * sliceNs, endNs: (b + 1) * sliceNs, records: buckets.get(b)! }));
}
