// How well the client kept to its schedule (coordinated omission, made visible): requested vs achieved
// send rate, send lag (start - scheduled) and client queue time, and latency measured from the
// schedule beside latency from the send. Over profiling requests; a pure function of the records.
import type { RequestRecord } from "../record/request-record.ts";
import { percentileSorted } from "./stats.ts";

/** The client "fell behind" when the p99 send lag passes this, or any request waited for a slot. */
export const BEHIND_LAG_P99_NS = 1_000_000;

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
  behind: boolean;
}

function quantiles(values: number[]): Quantiles {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return { p50: 0, p90: 0, p99: 0, max: 0 };
  return { p50: percentileSorted(s, 50), p90: percentileSorted(s, 90), p99: percentileSorted(s, 99), max: s[s.length - 1]! };
}

export function scheduleReport(records: readonly RequestRecord[], o: { requestedRatePerSec: number | null; streaming: boolean }): ScheduleReport {
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
  return {
    requests: sent.length,
    requestedRatePerSec: o.requestedRatePerSec,
    achievedRatePerSec: sent.length >= 2 && last > first ? ((sent.length - 1) * 1e9) / (last - first) : null,
    sendLagNs,
    queued,
    queueNs: quantiles(queue),
    latencyFromSendNs: fromSend.length > 0 ? quantiles(fromSend) : null,
    latencyFromScheduleNs: fromSchedule.length > 0 ? quantiles(fromSchedule) : null,
    behind: sendLagNs.p99 > BEHIND_LAG_P99_NS || queued > 0,
  };
}

/** The report as plain JSON for the summary export: rates in req/s, times in ms. */
export function scheduleJson(r: ScheduleReport): Record<string, number | boolean | null | Record<string, number>> {
  const q = (x: Quantiles): Record<string, number> => ({ p50: x.p50 / 1e6, p90: x.p90 / 1e6, p99: x.p99 / 1e6, max: x.max / 1e6 });
  return {
    requests: r.requests,
    requested_rate: r.requestedRatePerSec,
    achieved_rate: r.achievedRatePerSec,
    send_lag_ms: q(r.sendLagNs),
    queued_requests: r.queued,
    client_queue_ms: q(r.queueNs),
    fell_behind: r.behind,
  };
}

const ms = (ns: number): string => (ns / 1e6).toFixed(ns < 1e7 ? 3 : 1);

/** Console lines under the metrics table. */
export function scheduleLines(r: ScheduleReport): string[] {
  const out: string[] = [];
  const rate = (x: number | null): string => (x === null ? "n/a" : x.toFixed(2));
  out.push(`Schedule: ${r.requests} requests; rate requested ${rate(r.requestedRatePerSec)} req/s, achieved ${rate(r.achievedRatePerSec)} req/s (sends)`);
  out.push(`Send lag (ms): p50 ${ms(r.sendLagNs.p50)}  p90 ${ms(r.sendLagNs.p90)}  p99 ${ms(r.sendLagNs.p99)}  max ${ms(r.sendLagNs.max)}`);
  if (r.queued > 0) out.push(`Client queue: ${r.queued} requests waited for a concurrency slot (p50 ${ms(r.queueNs.p50)} ms, p99 ${ms(r.queueNs.p99)} ms, max ${ms(r.queueNs.max)} ms)`);
  if (r.latencyFromSendNs && r.latencyFromScheduleNs) {
    out.push(
      `Request latency (ms): from send p50 ${ms(r.latencyFromSendNs.p50)} p99 ${ms(r.latencyFromSendNs.p99)}; ` +
        `from schedule p50 ${ms(r.latencyFromScheduleNs.p50)} p99 ${ms(r.latencyFromScheduleNs.p99)}`,
    );
  }
  if (r.behind) {
    out.push(
      "WARNING: the client fell behind its schedule: requests left late or queued for a slot. Latency from the send " +
        "hides that wait; use the latency from schedule (request_latency_from_schedule), and raise --concurrency or lower --request-rate.",
    );
  }
  return out;
}
