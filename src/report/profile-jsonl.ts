// profile_export.jsonl: one compact JSON object per profiling request, laid out like AIPerf's
// MetricRecordInfo (orjson, None fields left out): metadata, metrics {tag: {value, unit}}, error.
import type { RequestRecord } from "../record/request-record.ts";
import { isFloatInDisplay, type MetricTag, metricSpec } from "../metrics/metric-table.ts";
import { displayMetrics, type RecordMetric, recordError, type RecordValues } from "../metrics/record-values.ts";
import { traceData } from "./http-trace-json.ts";
import { dumpPyJson, formatPyFloat, formatPyNumber, pyScalar } from "./py-json.ts";

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

// The line is written directly, not as an object of PyFloats dumped (tests/unit/report/profile-jsonl.test.ts
// keeps that object as the reference): this runs on the storing thread for every record, and the
// object and its dump took ~45 us a record there, the largest cost after DuckDB's.
// Concatenated, not joined: the pieces gathered in an array and joined once made 12 strings a 20-chunk
// record instead of 127, but took 5.2-6.4 us instead of 4.1-4.4 (JSC's rope concatenation is cheaper).
const ORJSON = { style: "orjson" } as const;
const str = JSON.stringify;

/** `,"key":value` as the dump writes a scalar; nothing for undefined (the dump leaves such keys out). */
function field(key: string, v: string | number | boolean | null | undefined): string {
  return v === undefined ? "" : `,"${key}":${pyScalar(v, "orjson")}`;
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

/** A metric's fixed text around its value. */
interface MetricText {
  head: string;
  tail: string;
  float: boolean;
}
const metricTexts = new Map<MetricTag, MetricText>();

function metricText(m: RecordMetric): MetricText {
  let t = metricTexts.get(m.tag);
  if (t === undefined) {
    t = { head: `${str(m.tag)}:{"value":`, tail: `,"unit":${str(m.unit)}}`, float: isFloatInDisplay(metricSpec(m.tag)) };
    metricTexts.set(m.tag, t);
  }
  return t;
}

/** The metrics object's members (displayMetrics: display units, table order), comma-separated. */
function metricsText(values: RecordValues): string {
  let out = "";
  for (const m of displayMetrics(values)) {
    const t = metricText(m);
    let v: string;
    if (Array.isArray(m.value)) {
      v = "[";
      for (let i = 0; i < m.value.length; i++) v += (i > 0 ? "," : "") + displayNumber(t, m.value[i]!);
      v += "]";
    } else v = displayNumber(t, m.value as number);
    out += (out === "" ? "" : ",") + t.head + v + t.tail;
  }
  return out;
}

function displayNumber(t: MetricText, x: number): string {
  return t.float ? formatPyFloat(x, "orjson") : formatPyNumber(x, "orjson");
}
