// Did the client fall behind its schedule, and why? A pure function of a run's schedule figures, so the
// warning says so only when it is true, and names the flag to change:
//  - slots: a meaningful share of requests waited for a --concurrency / --prefill-concurrency slot,
//    or were held while storing or counting results caught up (then the client machine, not a flag, set the pace);
//  - pacer: requests left late with no slot to wait for, by more than the gap between arrivals or a
//    tenth of the latency (so the late start matters); the p90 lag, not the p99, so a few stalls
//    (GC, a VM losing its vCPU) do not count. A fixed schedule's own gaps (bursts of requests due
//    together) are never compared with: only the latency is.

/** At least this share of requests waited for a slot. */
export const QUEUED_SHARE_MIN = 0.01;
/** ...and the longest wait was at least this. */
export const QUEUE_WAIT_MIN_NS = 1_000_000;
/** Send lag p90 below this is never "late". */
export const LAG_FLOOR_NS = 1_000_000;
/** Send lag p90 past this share of the median latency hides a meaningful part of it. */
export const LAG_LATENCY_SHARE = 0.1;

export type LoadMode = "closed" | "rate" | "fixed";
export type BehindCause = "slots" | "pacer";

export interface BehindInputs {
  mode: LoadMode;
  /** --prefill-concurrency was given (closed loop: the only slot a request can wait for). */
  prefillCap: boolean;
  /** New requests were held at some point while storing or counting results caught up. */
  storageHeld?: boolean;
  requests: number;
  /** Requests with queue_ns > 0, and the longest such wait. */
  queued: number;
  queueMaxNs: number;
  sendLagP90Ns: number;
  /** --request-rate (req/s); null otherwise. */
  ratePerSec: number | null;
  /** Median latency from the send (successful requests), null when none succeeded. */
  latencyP50Ns: number | null;
}

export function behindCause(x: BehindInputs): BehindCause | null {
  if (x.requests === 0) return null;
  if (x.queued / x.requests >= QUEUED_SHARE_MIN && x.queueMaxNs >= QUEUE_WAIT_MIN_NS) return "slots";
  if (x.sendLagP90Ns <= LAG_FLOOR_NS) return null;
  const gapNs = x.mode === "rate" && x.ratePerSec !== null && x.ratePerSec > 0 ? 1e9 / x.ratePerSec : null;
  if (gapNs !== null && x.sendLagP90Ns > gapNs) return "pacer";
  if (x.latencyP50Ns !== null && x.sendLagP90Ns > LAG_LATENCY_SHARE * x.latencyP50Ns) return "pacer";
  return null;
}

const ms = (ns: number): string => (ns / 1e6).toFixed(ns < 1e7 ? 2 : 0);

/** The slot flag(s) a queued request can have waited for. */
function slotFlags(x: BehindInputs): string {
  if (x.mode === "closed") return "--prefill-concurrency";
  return x.prefillCap ? "--concurrency or --prefill-concurrency" : "--concurrency";
}

/** One warning line for a cause, naming what to change. */
export function behindWarning(cause: BehindCause, x: BehindInputs): string {
  const hidden = "Latency from the send hides that wait; read request_latency_from_schedule.";
  const slower = x.mode === "rate" ? " or lower --request-rate" : x.mode === "fixed" ? " or lower --trace-speedup" : "";
  if (cause === "slots" && x.storageHeld === true) {
    const pct = Math.round((x.queued / x.requests) * 100);
    const slot = x.mode === "closed" && !x.prefillCap ? "" : ` or for a ${slotFlags(x)} slot`;
    return (
      `WARNING: the client fell behind its schedule: ${x.queued} of ${x.requests} requests (${pct}%) waited to be sent (longest ${ms(x.queueMaxNs)} ms), ` +
      `held while storing or counting results caught up${slot}. ${hidden} This machine limited the load: give the client more CPU (other processes off its cores)${slower}.`
    );
  }
  if (cause === "slots") {
    const pct = Math.round((x.queued / x.requests) * 100);
    return (
      `WARNING: the client fell behind its schedule: ${x.queued} of ${x.requests} requests (${pct}%) waited for a ${slotFlags(x)} slot ` +
      `(longest ${ms(x.queueMaxNs)} ms). ${hidden} Raise ${slotFlags(x)}${slower}.`
    );
  }
  const gap = x.mode === "rate" && x.ratePerSec !== null ? ` (${ms(1e9 / x.ratePerSec)} ms between arrivals)` : "";
  return (
    `WARNING: the client sent late with no slot to wait for: send lag p90 ${ms(x.sendLagP90Ns)} ms${gap}; the sender could not keep pace. ` +
    `${hidden} Use fewer --workers or free the CPU (other processes on these cores)${slower}.`
  );
}
