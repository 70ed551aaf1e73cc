// WHEN chunks happen. Independent model: each request owns one timer, first chunk ttft after
// arrival, then one every itl (seeded jitter on each). Batched model: the global BatchDriver
// grants chunks per decode step.
import { monoMs } from "../runtime/clock.ts";
import type { BatchDriver, DriverJob } from "./batch-driver.ts";
import type { GenerationSession } from "./generation-session.ts";
import { jitterMs } from "./seeded-rng.ts";

/** Due chunks sent back to back before the event loop gets a turn. */
const MAX_BURST_CHUNKS = 64;

export interface IndependentTiming {
  ttftMs: number;
  itlMs: number;
  jitterPct: number;
}

/**
 * Targets are absolute (arrival + ttft + sum of gaps), so timer lateness does not accumulate.
 * Draw order per request: ttft jitter, then one draw per gap.
 */
export function paceIndependent(s: GenerationSession, receivedMs: number, t: IndependentTiming, rng: () => number): void {
  let targetMs = receivedMs + jitterMs(t.ttftMs, t.jitterPct, rng());
  const step = (): void => {
    // Chunks already due (--itl-ms 0, or a late timer) go out now: a timer per chunk would add ~1 ms each.
    for (let burst = 0; ; burst++) {
      const stallMs = emitNext(s);
      if (stallMs === null) return;
      targetMs += jitterMs(t.itlMs, t.jitterPct, rng()) + stallMs;
      const waitMs = targetMs - monoMs();
      if (waitMs > 0 || burst >= MAX_BURST_CHUNKS) return s.setTimer(step, waitMs);
    }
  };
  s.markRunning();
  s.setTimer(step, targetMs - monoMs());
}

/** Hands the session to the batch scheduler; a stalled job keeps its slot but emits nothing. */
export function paceBatched(s: GenerationSession, driver: BatchDriver): void {
  const job: DriverJob = {
    chunksLeft: s.chunks,
    resumeAtMs: 0,
    onAdmit: () => s.markRunning(),
    onChunk: () => {
      const stallMs = emitNext(s);
      if (stallMs === null) return;
      if (stallMs > 0) job.resumeAtMs = monoMs() + stallMs;
    },
  };
  s.onStop = () => driver.cancel(job);
  s.markWaiting();
  driver.submit(job);
}

/**
 * Emits the session's next chunk. Returns null when the stream is over (closed, or this was the
 * last chunk: the end follows after any stall), else the stall to wait before the next chunk (ms).
 */
function emitNext(s: GenerationSession): number | null {
  const r = s.emitChunk();
  if (r === "closed") return null;
  const stallMs = s.stallNowMs;
  if (r === "last") {
    if (stallMs > 0) s.setTimer(() => s.end(), stallMs);
    else s.end();
    return null;
  }
  return stallMs;
}
