// One-line run summary (pure): counts, TTFT and ITL percentiles, throughputs.
import type { RequestRecord } from "../record/request-record.ts";
import { requestMetrics } from "../metrics/request-metrics.ts";
import { computeStats } from "../metrics/stats.ts";

const fmt = (v: number | undefined, digits = 2): string => (v === undefined || Number.isNaN(v) ? "n/a" : v.toFixed(digits));

export function summaryLine(records: readonly RequestRecord[], durationNs: number): string {
  const ok = records.filter((r) => r.error === null && !r.cancelled);
  const metrics = ok.map(requestMetrics);
  const pick = (f: (m: (typeof metrics)[number]) => number | null) => metrics.map(f).filter((v): v is number => v !== null);
  const ttft = computeStats(pick((m) => m.time_to_first_token), [50, 99]);
  const itl = computeStats(pick((m) => m.inter_token_latency), [50, 99]);
  const outTokens = ok.reduce((s, r) => s + r.output_tokens + r.reasoning_tokens, 0);
  const seconds = durationNs / 1e9;
  const errors = records.length - ok.length;
  return [
    `${records.length} requests (${ok.length} ok, ${errors} errors) in ${fmt(seconds)} s`,
    `TTFT p50 ${fmt(ttft?.percentiles.get(50))} ms p99 ${fmt(ttft?.percentiles.get(99))} ms`,
    `ITL p50 ${fmt(itl?.percentiles.get(50))} ms p99 ${fmt(itl?.percentiles.get(99))} ms`,
    `${fmt(seconds > 0 ? ok.length / seconds : NaN)} req/s`,
    `${fmt(seconds > 0 ? outTokens / seconds : NaN, 1)} output tokens/s`,
  ].join(" | ");
}
