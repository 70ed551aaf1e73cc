// AIPerf's fixed schedule (--fixed-schedule, mooncake traces): each entry is sent at its trace timestamp
// (ms), measured from a zero point and compressed by --trace-speedup.

export interface FixedScheduleOptions {
  /** --fixed-schedule-auto-offset: the earliest timestamp becomes t = 0. */
  autoOffset: boolean;
  /** --fixed-schedule-start-offset in ms; null = unbounded. */
  startOffsetMs: number | null;
  /** --fixed-schedule-end-offset in ms; null = unbounded. */
  endOffsetMs: number | null;
  /** --trace-speedup, > 0; 2 = twice as fast. */
  speedup: number;
}

const NS_PER_MS = 1e6;

/** Which entries are inside [startOffsetMs, endOffsetMs] (inclusive; null = unbounded); entries with a null timestamp are kept. */
export function withinOffsets(timestampMs: number | null, o: Pick<FixedScheduleOptions, "startOffsetMs" | "endOffsetMs">): boolean {
  if (timestampMs === null) return true;
  return (o.startOffsetMs === null || timestampMs >= o.startOffsetMs) && (o.endOffsetMs === null || timestampMs <= o.endOffsetMs);
}

/**
 * Send offsets in ns from the phase start, one per timestamp in the same order: (timestamp − zero) / speedup,
 * where zero is the smallest timestamp with autoOffset, else startOffsetMs ?? 0. Negative results clamp to 0
 * (AIPerf sends entries that are already due at once). Filter with withinOffsets first: the auto offset is
 * the smallest of the timestamps given here.
 */
export function fixedScheduleOffsetsNs(timestampsMs: readonly number[], o: FixedScheduleOptions): Float64Array {
  if (!(o.speedup > 0) || !Number.isFinite(o.speedup)) throw new RangeError(`speedup must be > 0, got ${o.speedup}`);
  const out = new Float64Array(timestampsMs.length);
  if (timestampsMs.length === 0) return out;
  let zeroMs = o.startOffsetMs ?? 0;
  if (o.autoOffset) {
    zeroMs = Infinity;
    for (const t of timestampsMs) if (t < zeroMs) zeroMs = t;
  }
  const nsPerTraceMs = NS_PER_MS / o.speedup;
  for (let i = 0; i < timestampsMs.length; i++) {
    out[i] = Math.max(0, ((timestampsMs[i] as number) - zeroMs) * nsPerTraceMs);
  }
  return out;
}
