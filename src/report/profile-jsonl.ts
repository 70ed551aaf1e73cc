// profile_export.jsonl: one compact JSON object per profiling request, laid out like AIPerf's
// MetricRecordInfo (orjson, None fields left out): metadata, metrics {tag: {value, unit}}, error.
import type { RequestRecord } from "../record/request-record.ts";
import { hasFlag, isFloatInDisplay, type MetricTag, metricSpec } from "../metrics/metric-table.ts";
import { displayMetrics, recordError, type RecordValues } from "../metrics/record-values.ts";
import { convert } from "../metrics/units.ts";
import { traceData } from "./http-trace-json.ts";
import { dumpPyJson, formatPyFloat, formatPyNumber, pyFloat, type PyJsonValue } from "./py-json.ts";

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

/**
 * The object AIPerf would write for this request (key order as AIPerf's models declare it): the
 * reference jsonlLine's direct writing is tested against.
 */
export function jsonlRecordObject(r: RequestRecord, values: RecordValues, meta: JsonlMeta = {}): PyJsonValue {
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
export function jsonlLine(r: RequestRecord, values: RecordValues, meta: JsonlMeta = {}): string | null {
  const metrics = metricsText(values);
  const error = recordError(r);
  if (metrics === "" && error === null) return null;
  let out = `{"metadata":${metadataText(r, meta)},"metrics":{${metrics}}`;
  const trace = meta.httpTrace ? traceData(r) : undefined;
  if (trace !== undefined) out += `,"trace_data":${dumpPyJson(trace, ORJSON)}`;
  if (error !== null) out += `,"error":${dumpPyJson({ code: error.code, type: error.type, message: error.message }, ORJSON)}`;
  return `${out}}`;
}

// The line is written directly, not as jsonlRecordObject's object dumped: this runs on the storing
// thread for every record, and the object (a PyFloat per value, a map per metric) and its dump took
// ~45 us a record there, the largest cost after DuckDB's.
const ORJSON = { style: "orjson" } as const;
const str = JSON.stringify;

/** `,"key":value` as the dump writes a scalar; nothing for undefined (the dump leaves such keys out). */
function field(key: string, v: string | number | boolean | null | undefined): string {
  if (v === undefined) return "";
  return `,"${key}":${v === null ? "null" : typeof v === "string" ? str(v) : typeof v === "number" ? formatPyNumber(v, "orjson") : String(v)}`;
}

function metadataText(r: RequestRecord, meta: JsonlMeta): string {
  return (
    `{"session_num":${formatPyNumber(r.session_num, "orjson")}` +
    field("x_request_id", r.x_request_id) +
    field("x_correlation_id", meta.xCorrelationId ?? r.x_correlation_id) +
    field("conversation_id", meta.conversationId ?? (r.conversation_id || undefined)) +
    field("turn_index", r.turn_index) +
    field("request_start_ns", r.start_ns) +
    field("request_ack_ns", r.ack_ns > 0 ? r.ack_ns : undefined) +
    field("request_end_ns", r.end_ns) +
    field("worker_id", `worker_${r.worker_id}`) +
    field("record_processor_id", meta.recordProcessorId ?? "record_processor_0") +
    field("benchmark_phase", r.phase) +
    field("was_cancelled", r.cancelled) +
    field("cancellation_time_ns", r.cancelled ? r.end_ns : undefined) +
    "}"
  );
}

/** A metric's fixed text around its value, or null for one left out of per-request records. */
interface MetricText {
  head: string;
  tail: string;
  float: boolean;
  from: Parameters<typeof convert>[1];
  to: Parameters<typeof convert>[2];
}
const metricTexts = new Map<MetricTag, MetricText | null>();

function metricText(tag: MetricTag): MetricText | null {
  let t = metricTexts.get(tag);
  if (t === undefined) {
    const spec = metricSpec(tag);
    t = hasFlag(spec, "no-individual-records")
      ? null
      : { head: `${str(tag)}:{"value":`, tail: `,"unit":${str(spec.displayUnit)}}`, float: isFloatInDisplay(spec), from: spec.unit, to: spec.displayUnit };
    metricTexts.set(tag, t);
  }
  return t;
}

/** The metrics object's members (displayMetrics' values, in its order), comma-separated. */
function metricsText(values: RecordValues): string {
  let out = "";
  for (const [tag, value] of values) {
    const t = metricText(tag);
    if (t === null) continue;
    let v: string;
    if (Array.isArray(value)) {
      v = "[";
      for (let i = 0; i < value.length; i++) v += (i > 0 ? "," : "") + displayNumber(t, value[i]!);
      v += "]";
    } else v = displayNumber(t, value as number);
    out += (out === "" ? "" : ",") + t.head + v + t.tail;
  }
  return out;
}

function displayNumber(t: MetricText, x: number): string {
  const d = convert(x, t.from, t.to);
  return t.float ? formatPyFloat(d, "orjson") : formatPyNumber(d, "orjson");
}
