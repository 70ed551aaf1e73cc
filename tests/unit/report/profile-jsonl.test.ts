import { describe, expect, test } from "bun:test";
import type { RequestRecord } from "../../../src/record/request-record.ts";
import { parseGoodput } from "../../../src/metrics/goodput.ts";
import { jsonlLine, type JsonlMeta } from "../../../src/report/profile-jsonl.ts";
import { dumpPyJson, pyFloat, type PyJsonValue } from "../../../src/report/py-json.ts";
import { traceData } from "../../../src/report/http-trace-json.ts";
import { isFloatInDisplay, metricSpec } from "../../../src/metrics/metric-table.ts";
import { displayMetrics, type RecordOptions, recordError, recordValues, type RecordValues } from "../../../src/metrics/record-values.ts";
import { randomRecords } from "../store/random-records.ts";
import { makeRecord } from "../../helpers/records.ts";

// The request from AIPerf's docs (working-with-profile-exports.md): same ns offsets, a start below 2^53
// so the offsets stay exact. Its metrics must serialize exactly as the doc shows them, except two
// inter_chunk_latency elements: the doc prints 4898437 ns as 4.898437 there but as 4.8984369999999995
// for time_to_second_token, while AIPerf's code converts both with the same `ns * 1e-06`; we follow the code.
const BASE = 1_000_000_000_000_000;
const ICL_NS = [4898437, 5316006, 4801489, 5674918, 4811467, 5097998, 5504797, 5533548];

function docRecord(): RequestRecord {
  const offsets = [255886568];
  for (const d of ICL_NS) offsets.push(offsets[offsets.length - 1]! + d);
  const r = makeRecord({ startNs: BASE, chunkMs: offsets.map((ns) => ns / 1e6), inputTokens: 550, workerId: 3 }, 45);
  return { ...r, x_request_id: "7609a2e7-aa53-4ab1-98f4-f35ecafefd25", ack_ns: BASE + 117_830_613, end_ns: BASE + 305_864_241 };
}

const DOC_METRICS =
  `"input_sequence_length":{"value":550,"unit":"tokens"},"time_to_first_token":{"value":255.88656799999998,"unit":"ms"},` +
  `"request_latency":{"value":297.52522799999997,"unit":"ms"},"output_token_count":{"value":9,"unit":"tokens"},` +
  `"time_to_second_token":{"value":4.8984369999999995,"unit":"ms"},` +
  `"inter_chunk_latency":{"value":[4.8984369999999995,5.316006,4.801489,5.674918,4.8114669999999995,5.097998,5.504797,5.533548],"unit":"ms"},` +
  `"output_sequence_length":{"value":9,"unit":"tokens"},"inter_token_latency":{"value":5.2048325,"unit":"ms"},` +
  `"output_token_throughput_per_user":{"value":192.1291415237666,"unit":"tokens/sec/user"}`;

describe("profile_export.jsonl line", () => {
  test("the AIPerf doc example, byte for byte (plus the two metrics AIPerf added after that doc)", () => {
    const line = jsonlLine(docRecord(), recordValues(docRecord(), { streaming: true }), {
      conversationId: "77aa5b0e-b305-423f-88d5-c00da1892599",
      xCorrelationId: "32ee4f33-cfca-4cfc-988f-79b45408b909",
    });
    expect(line).toBe(
      `{"metadata":{"session_num":45,"x_request_id":"7609a2e7-aa53-4ab1-98f4-f35ecafefd25","x_correlation_id":"32ee4f33-cfca-4cfc-988f-79b45408b909",` +
        `"conversation_id":"77aa5b0e-b305-423f-88d5-c00da1892599","turn_index":0,"request_start_ns":1000000000000000,"request_ack_ns":1000000117830613,` +
        `"request_end_ns":1000000305864241,"worker_id":"worker_3","record_processor_id":"record_processor_0","benchmark_phase":"profiling","was_cancelled":false},` +
        `"metrics":{${DOC_METRICS},"time_to_first_output_token":{"value":255.88656799999998,"unit":"ms"},` +
        `"prefill_throughput_per_user":{"value":2149.3898812226826,"unit":"tokens/sec/user"}}}`,
    );
  });
  test("cancelled request: error_isl only, error object, cancellation time; no ack when headers never came", () => {
    const r = makeRecord(
      {
        startNs: BASE,
        ackMs: 0,
        endMs: 0.624928,
        inputTokens: 550,
        cancelled: true,
        error: { code: 499, type: "RequestCancellationError", message: "Request was cancelled after 0.000 seconds" },
      },
      80,
    );
    expect(jsonlLine(r, recordValues(r, { streaming: true }))).toBe(
      `{"metadata":{"session_num":80,"x_request_id":"req-80","turn_index":0,"request_start_ns":1000000000000000,"request_end_ns":1000000000624928,` +
        `"worker_id":"worker_0","record_processor_id":"record_processor_0","benchmark_phase":"profiling","was_cancelled":true,"cancellation_time_ns":1000000000624928},` +
        `"metrics":{"error_isl":{"value":550,"unit":"tokens"}},"error":{"code":499,"type":"RequestCancellationError","message":"Request was cancelled after 0.000 seconds"}}`,
    );
  });
  test("non-streaming: latency to the end of the response, no streaming metrics; integral ms print as floats", () => {
    const r = makeRecord({ startNs: BASE, chunkMs: [100, 200], endMs: 250, inputTokens: 7 }, 1);
    expect(jsonlLine(r, recordValues(r, { streaming: false }))).toBe(
      `{"metadata":{"session_num":1,"x_request_id":"req-1","turn_index":0,"request_start_ns":1000000000000000,"request_ack_ns":1000000001000000,` +
        `"request_end_ns":1000000250000000,"worker_id":"worker_0","record_processor_id":"record_processor_0","benchmark_phase":"profiling","was_cancelled":false},` +
        `"metrics":{"input_sequence_length":{"value":7,"unit":"tokens"},"request_latency":{"value":250.0,"unit":"ms"},` +
        `"output_token_count":{"value":2,"unit":"tokens"},"output_sequence_length":{"value":2,"unit":"tokens"}}}`,
    );
  });
  test("per-request good_request_count with SLOs", () => {
    const slos = parseGoodput(["time_to_first_token:300"]).slos;
    expect(jsonlLine(docRecord(), recordValues(docRecord(), { streaming: true, slos }))).toEndWith(`"good_request_count":{"value":1,"unit":"requests"}}}`);
  });
});

describe("profile_export.jsonl ids", () => {
  test("per-request ids from the caller", () => {
    const line = jsonlLine(makeRecord({ chunkMs: [5] }, 4), recordValues(makeRecord({ chunkMs: [5] }, 4), { streaming: true }), {
      conversationId: "session_4",
      xCorrelationId: "corr-4",
    });
    expect(line).toContain(`"x_request_id":"req-4","x_correlation_id":"corr-4","conversation_id":"session_4","turn_index":0`);
  });
});

/**
 * The object AIPerf would write for a request (key order as AIPerf's models declare it), the way
 * jsonlLine built it before it wrote the text directly: the reference its lines are compared with.
 */
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

describe("profile_export.jsonl written directly", () => {
  // The line is written without building jsonlRecordObject's object: it must be that object's dump,
  // byte for byte, for every kind of record, option and caller's id.
  const metas: JsonlMeta[] = [{}, { conversationId: "c-1", xCorrelationId: 'x"1' }, { httpTrace: true, recordProcessorId: "rp_2" }];
  const options: RecordOptions[] = [{ streaming: true }, { streaming: false }, { streaming: true, slos: parseGoodput(["time_to_first_token:5"]).slos }];
  test.each(options.map((o, i) => [i, o] as const))("options %d: the object's dump for 400 random records x 3 metas", (i, opts) => {
    const records = randomRecords({ count: 400, seed: 11 + i });
    let compared = 0;
    let lines = 0;
    for (const r of records) {
      const values = recordValues(r, opts);
      for (const meta of metas) {
        const obj = jsonlRecordObject(r, values, meta) as { metrics: object; error?: unknown };
        const expected = Object.keys(obj.metrics).length === 0 && obj.error === undefined ? null : dumpPyJson(obj as PyJsonValue, { style: "orjson" });
        const got = jsonlLine(r, values, meta);
        expect(got).toBe(expected);
        compared++;
        if (got !== null) lines++;
      }
    }
    expect(compared).toBe(1200);
    // Most records make a line; the comparison is not all nulls.
    expect(lines).toBeGreaterThan(1000);
  });

  // Inter-chunk lists whose elements print differently in JS and Python (an integral ms gains ".0", a
  // gap under 1e-5 ms prints in exponent form, a zero gap is "0.0"), and one where none does.
  test.each([
    ["all fractions", [5, 10.25, 17.5, 30.125]],
    ["an integral gap", [5, 10.25, 15.25, 20.5]],
    ["a 1 ns gap", [5, 10.25, 10.250001, 20.5]],
    ["a zero gap", [5, 10.25, 10.25, 20.5]],
  ])("inter-chunk list with %s: the object's dump", (_name, chunkMs) => {
    const r = makeRecord({ startNs: BASE, chunkMs, inputTokens: 5 }, 3);
    const values = recordValues(r, { streaming: true });
    const line = jsonlLine(r, values);
    expect(line).toBe(dumpPyJson(jsonlRecordObject(r, values), { style: "orjson" }));
    expect(line).toContain(`"inter_chunk_latency":{"value":[`);
  });

  test("a record whose start is past 2^53 prints its exact integer, as the dump does", () => {
    const r = { ...makeRecord({ startNs: 1_796_281_901_633_812_992, chunkMs: [5, 6] }, 2) };
    const values = recordValues(r, { streaming: true });
    expect(jsonlLine(r, values)).toBe(dumpPyJson(jsonlRecordObject(r, values), { style: "orjson" }));
    expect(jsonlLine(r, values)).toContain(`"request_start_ns":1796281901633812992`);
  });
});
