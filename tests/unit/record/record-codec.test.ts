import { describe, expect, test } from "bun:test";
import { decodeRecords, encodeRecords, RecordReader } from "../../../src/record/record-codec.ts";
import { fetchTiming, type HttpTiming, type RequestRecord } from "../../../src/record/request-record.ts";
import { makeRecord } from "../../helpers/records.ts";

const HTTP: HttpTiming = {
  transport: "http1",
  pool_wait_start_ns: 0,
  pool_wait_end_ns: 0,
  connect_start_ns: 1_700_000_000_000_100_000,
  connect_end_ns: 1_700_000_000_000_200_000,
  send_start_ns: 1_700_000_000_000_300_000,
  send_end_ns: 1_700_000_000_000_300_512,
  first_byte_ns: 1_700_000_000_050_000_000,
  last_byte_ns: 1_700_000_000_090_000_000,
  bytes_sent: 612,
  bytes_received: 8_123,
  writes: 1,
  reads: 21,
  reused: true,
};

/** A record with every optional part present and every nullable field set. */
function full(i: number): RequestRecord {
  return {
    ...makeRecord(
      { ttftMs: 20, chunkMs: [20, 25.5, 31], endMs: 40, requestedOutputTokens: 3, usage: { prompt: 11, completion: 3, total: 14, reasoning: 0 } },
      i,
    ),
    x_correlation_id: `corr-${i}`,
    conversation_id: `session_${i}`,
    error: { code: 500, type: "server_error", message: "boom: ünïcödé 🚀 \u{1F600} and a lone \ud800 surrogate" },
    http: HTTP,
  };
}

const cases: [string, RequestRecord][] = [
  ["no chunks, no options", makeRecord({ endMs: 5 }, 0)],
  ["full", full(7)],
  [
    "fetch transport, nulls where fetch cannot see",
    {
      ...makeRecord({ ttftMs: 3 }, 2),
      http: fetchTiming(HTTP.first_byte_ns, HTTP.last_byte_ns),
    },
  ],
  ["reused false, cancelled, warmup", { ...makeRecord({ ttftMs: 3, cancelled: true, phase: "warmup" }, 3), http: { ...HTTP, reused: false } }],
  [
    "empty strings and an empty error message",
    { ...makeRecord({ chunkMs: [1, 2] }, 4), x_request_id: "", model: "", x_correlation_id: "", error: { code: 0, type: "", message: "" } },
  ],
  [
    "non-finite and fractional numbers kept as they are",
    { ...makeRecord({ chunkMs: [1] }, 5), queue_ns: 0.5, input_tokens: Number.NaN, output_tokens: Number.POSITIVE_INFINITY, requested_output_tokens: -0 },
  ],
];

describe("record codec", () => {
  test.each(cases)("%s: decodes to the same record, no property more or less", (_name, r) => {
    const [back] = decodeRecords(encodeRecords([r]));
    expect(back).toStrictEqual(r);
    expect(Object.keys(back!).sort()).toEqual(Object.keys(r).sort());
    if (r.http) expect(Object.keys(back!.http!).sort()).toEqual(Object.keys(r.http).sort());
  });

  test("a batch keeps its records in order, with each one's strings and chunks", () => {
    const records = [...cases.map(([, r]) => r), ...Array.from({ length: 40 }, (_, i) => full(100 + i))];
    const batch = encodeRecords(records);
    expect(batch.count).toBe(records.length);
    expect(decodeRecords(batch)).toStrictEqual(records);
  });

  test("an empty batch (a worker reporting only the prompts it used) encodes and decodes to nothing", () => {
    const batch = encodeRecords([]);
    expect(batch.count).toBe(0);
    expect(batch.bytes).toBe(0);
    expect(batch.nums.length).toBe(0);
    expect(decodeRecords(batch)).toEqual([]);
  });

  test("the reader hands out one record at a time and refuses to read past the end", () => {
    const records = [full(1), makeRecord({ ttftMs: 1 }, 2)];
    const reader = new RecordReader(encodeRecords(records));
    expect(reader.remaining).toBe(2);
    expect(reader.next().x_request_id).toBe("req-1");
    expect(reader.remaining).toBe(1);
    expect(reader.next().x_request_id).toBe("req-2");
    expect(reader.remaining).toBe(0);
    expect(() => reader.next()).toThrow("no records left");
  });

  test("the numbers travel in one buffer that a postMessage can transfer", async () => {
    const batch = encodeRecords([full(1), full(2)]);
    expect(batch.nums.byteOffset).toBe(0);
    expect(batch.nums.byteLength).toBe(batch.nums.buffer.byteLength);
    const { port1, port2 } = new MessageChannel();
    const got = new Promise<typeof batch>((resolve) => {
      port2.onmessage = (e) => resolve(e.data as typeof batch);
    });
    port1.postMessage(batch, [batch.nums.buffer as ArrayBuffer]);
    const received = await got;
    expect(batch.nums.byteLength).toBe(0); // moved, not copied
    expect(decodeRecords(received)).toStrictEqual([full(1), full(2)]);
    port1.close();
    port2.close();
  });

  test("a phase or transport it does not know is refused, not sent as something else", () => {
    expect(() => encodeRecords([{ ...makeRecord({}, 0), phase: "cooldown" as RequestRecord["phase"] }])).toThrow('unknown phase "cooldown"');
    expect(() => encodeRecords([{ ...makeRecord({}, 0), http: { ...HTTP, transport: "h2" as HttpTiming["transport"] } }])).toThrow('unknown transport "h2"');
  });
});
