// How well the client kept to its schedule (coordinated omission, made visible): requested vs achieved
// send rate, send lag (start - scheduled) and client queue time, and latency measured from the
// schedule beside latency from the send. Over profiling requests; a pure function of the records.
import type { RequestRecord } from "../record/request-record.ts";
import { behindCause, behindWarning, type BehindCause, type LoadMode } from "./schedule-behind.ts";
import { percentileSorted } from "./stats.ts";

export interface Quantiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface ScheduleReport {
  requests: number;
  requestedRatePerSec: number | null;
  /** (n - 1) / (last send - first send). */
  achievedRatePerSec: number | null;
  sendLagNs: Quantiles;
  /** Requests that waited for a --concurrency / --prefill-concurrency slot, and how long (all requests). */
  queued: number;
  queueNs: Quantiles;
  /** Successful requests: latency from the send vs from the schedule. */
  latencyFromSendNs: Quantiles | null;
  latencyFromScheduleNs: Quantiles | null;
  /** Why the client fell behind its schedule (schedule-behind.ts), null when it kept to it. */
  behindCause: BehindCause | null;
  behind: boolean;
  /** The console's warning line when behind, naming the flag to change. */
  behindWarning: string | null;
}

export interface ScheduleOptions {
  requestedRatePerSec: number | null;
  streaming: boolean;
  /** How the run was paced (default "rate"). */
  mode?: LoadMode;
  /** --prefill-concurrency was given. */
  prefillCap?: boolean;
  /** New requests were held at some point while storing or counting results caught up (run/sinks.ts). */
  storageHeld?: boolean;
}

function quantiles(values: number[]): Quantiles {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return { p50: 0, p90: 0, p99: 0, max: 0 };
  return { p50: percentileSorted(s, 50), p90: percentileSorted(s, 90), p99: percentileSorted(s, 99), max: s[s.length - 1]! };
}

export function scheduleReport(records: readonly RequestRecord[], o: ScheduleOptions): ScheduleReport {
  const sent = records.filter((r) => r.phase === "profiling" && r.start_ns > 0 && r.scheduled_ns > 0);
  const lag = sent.map((r) => Math.max(0, r.start_ns - r.scheduled_ns));
  const queue = sent.map((r) => r.queue_ns);
  let first = Infinity;
  let last = -Infinity;
  for (const r of sent) {
    first = Math.min(first, r.start_ns);
    last = Math.max(last, r.start_ns);
  }
  const fromSend: number[] = [];
  const fromSchedule: number[] = [];
  for (const r of sent) {
    if (r.error !== null || r.cancelled) continue;
    const end = o.streaming ? r.last_token_ns : r.end_ns;
    if (end <= 0) continue;
    fromSend.push(end - r.start_ns);
    fromSchedule.push(end - Math.min(r.scheduled_ns, r.start_ns));
  }
  const sendLagNs = quantiles(lag);
  const queued = queue.filter((q) => q > 0).length;
  const queueNs = quantiles(queue);
  const latencyFromSendNs = fromSend.length > 0 ? quantiles(fromSend) : null;
  const mode = o.mode ?? "rate";
  const inputs = {
    mode,
    prefillCap: o.prefillCap ?? false,
    storageHeld: o.storageHeld ?? false,
    requests: sent.length,
    queued,
    queueMaxNs: queueNs.max,
    sendLagP90Ns: sendLagNs.p90,
    ratePerSec: mode === "rate" ? o.requestedRatePerSec : null,
    latencyP50Ns: latencyFromSendNs?.p50 ?? null,
  };
  const cause = behindCause(inputs);
  return {
    requests: sent.length,
    requestedRatePerSec: o.requestedRatePerSec,
    achievedRatePerSec: sent.length >= 2 && last > first ? ((sent.length - 1) * 1e9) / (last - first) : null,
    sendLagNs,
    queued,
    queueNs,
    latencyFromSendNs,
    latencyFromScheduleNs: fromSchedule.length > 0 ? quantiles(fromSchedule) : null,
    behindCause: cause,
    behind: cause !== null,
    behindWarning: cause === null ? null : behindWarning(cause, inputs),
  };
}

/** The report as plain JSON for the summary export: rates in req/s, times in ms. */
export function scheduleJson(r: ScheduleReport): Record<string, number | boolean | string | null | Record<string, number>> {
  const q = (x: Quantiles): Record<string, number> => ({ p50: x.p50 / 1e6, p90: x.p90 / 1e6, p99: x.p99 / 1e6, max: x.max / 1e6 });
  return {
    requests: r.requests,
    requested_rate: r.requestedRatePerSec,
    achieved_rate: r.achievedRatePerSec,
    send_lag_ms: q(r.sendLagNs),
    queued_requests: r.queued,
    client_queue_ms: q(r.queueNs),
    fell_behind: r.behind,
    behind_cause: r.behindCause,
  };
}

const ms = (ns: number): string => (ns / 1e6).toFixed(ns < 1e7 ? 3 : 1);

/** Console lines under the metrics table. */
export function scheduleLines(r: ScheduleReport): string[] {
  const out: string[] = [];
  const rate = (x: number | null): string => (x === null ? "n/a" : x.toFixed(2));
  out.push(`Schedule: ${r.requests} requests; rate requested ${rate(r.requestedRatePerSec)} req/s, achieved ${rate(r.achievedRatePerSec)} req/s (sends)`);
  out.push(`Send lag (ms): p50 ${ms(r.sendLagNs.p50)}  p90 ${ms(r.sendLagNs.p90)}  p99 ${ms(r.sendLagNs.p99)}  max ${ms(r.sendLagNs.max)}`);
  if (r.queued > 0)
    out.push(
      `Client queue: ${r.queued} requests waited for a concurrency slot (p50 ${ms(r.queueNs.p50)} ms, p99 ${ms(r.queueNs.p99)} ms, max ${ms(r.queueNs.max)} ms)`,
    );
  if (r.latencyFromSendNs && r.latencyFromScheduleNs) {
    out.push(
      `Request latency (ms): from send p50 ${ms(r.latencyFromSendNs.p50)} p99 ${ms(r.latencyFromSendNs.p99)}; ` +
        `from schedule p50 ${ms(r.latencyFromScheduleNs.p50)} p99 ${ms(r.latencyFromScheduleNs.p99)}`,
    );
  }
  if (r.behindWarning !== null) out.push(r.behindWarning);
  return out;
}
