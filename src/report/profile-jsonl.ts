// profile_export.jsonl: one compact JSON object per profiling request, laid out like AIPerf's
// MetricRecordInfo (orjson, None fields left out): metadata, metrics {tag: {value, unit}}, error.
import type { RequestRecord } from "../record/request-record.ts";
import { isFloatInDisplay, metricSpec } from "../metrics/metric-table.ts";
import { displayMetrics, recordError, type RecordValues } from "../metrics/record-values.ts";
import { traceData } from "./http-trace-json.ts";
import { dumpPyJson, pyFloat, type PyJsonValue } from "./py-json.ts";

/** Per-request identifiers the record itself does not carry. */
export interface JsonlMeta {
  /** Dataset conversation/session id (matches inputs.json session_id). */
  conversationId?: string;
  /** X-Correlation-ID sent with every turn of a session. */
  xCorrelationId?: string;
  /** Default "record_processor_0": llmbench computes metrics in one place. */
  recordProcessorId?: string;
  /** --export-http-trace: add AIPerf's trace_data object (see http-trace-json.ts). */
  httpTrace?: boolean;
}

/** The object AIPerf would write for this request (key order as AIPerf's models declare it). */
function jsonlRecordObject(r: RequestRecord, values: RecordValues, meta: JsonlMeta = {}): PyJsonValue {
  const metrics: Record<string, PyJsonValue> = {};
  for (const m of displayMetrics(values)) {
    const float = isFloatInDisplay(metricSpec(m.tag));
    const value = Array.isArray(m.value) ? m.value.map((x) => (float ? pyFloat(x) : x)) : float ? pyFloat(m.value) : m.value;
    metrics[m.tag] = { value, unit: m.unit };
  }
  const error = recordError(r);
  return {
    metadata: {
      session_num: r.session_num,
      x_request_id: r.x_request_id,
      x_correlation_id: meta.xCorrelationId ?? r.x_correlation_id,
      conversation_id: meta.conversationId ?? (r.conversation_id || undefined),
      turn_index: r.turn_index,
      request_start_ns: r.start_ns,
      request_ack_ns: r.ack_ns > 0 ? r.ack_ns : undefined,
      request_end_ns: r.end_ns,
      worker_id: `worker_${r.worker_id}`,
      record_processor_id: meta.recordProcessorId ?? "record_processor_0",
      benchmark_phase: r.phase,
      was_cancelled: r.cancelled,
      cancellation_time_ns: r.cancelled ? r.end_ns : undefined,
    },
    metrics,
    trace_data: meta.httpTrace ? traceData(r) : undefined,
    error: error ? { code: error.code, type: error.type, message: error.message } : undefined,
  };
}

/** One line of profile_export.jsonl, without the newline; null when AIPerf would skip the request. */
export function jsonlLine(r: RequestRecord, values: RecordValues, meta?: JsonlMeta): string | null {
  const obj = jsonlRecordObject(r, values, meta) as { metrics: object; error?: unknown };
  if (Object.keys(obj.metrics).length === 0 && obj.error === undefined) return null;
  return dumpPyJson(obj as PyJsonValue, { style: "orjson" });
}
