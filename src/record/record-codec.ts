// Finished records between threads as numbers in one transferable Float64Array plus one string of
// their texts, not as objects. Bun's postMessage copies an object graph at a few ns a byte plus a cost
// per object: 16 records of 20 chunks took ~52 us of the posting thread's CPU (the thread that stamps
// arrivals) and ~77 us of the receiver's; encoded, ~25 and ~25, decoding included (`bun
// scripts/bench.ts record-post`). The receiver can also keep a batch this compact until it stores it.
import { waitingBytes } from "./record-bytes.ts";
import { emptyRecord, type HttpTiming, type RecordError, type RequestRecord } from "./request-record.ts";

/** Keys of T whose values are numbers / numbers or null. */
type NumberKey<T> = { [K in keyof T]-?: T[K] extends number ? K : never }[keyof T];
type NullableNumberKey<T> = { [K in keyof T]-?: null extends T[K] ? (T[K] extends number | null ? K : never) : never }[keyof T];

const RECORD_NUMBERS = [
  "request_index",
  "session_num",
  "turn_index",
  "worker_id",
  "scheduled_ns",
  "queue_ns",
  "start_ns",
  "ack_ns",
  "first_token_ns",
  "first_output_token_ns",
  "last_token_ns",
  "end_ns",
  "http_status",
  "input_tokens",
  "output_tokens",
  "reasoning_tokens",
] as const satisfies readonly NumberKey<RequestRecord>[];
const RECORD_NULLABLE = [
  "requested_output_tokens",
  "usage_prompt_tokens",
  "usage_completion_tokens",
  "usage_total_tokens",
  "usage_reasoning_tokens",
] as const satisfies readonly NullableNumberKey<RequestRecord>[];
/** Always present; x_correlation_id is optional and goes after them. */
const RECORD_STRINGS = ["x_request_id", "conversation_id", "url", "model"] as const;
const PHASES = ["warmup", "profiling"] as const satisfies readonly RequestRecord["phase"][];

const HTTP_NUMBERS = ["first_byte_ns", "last_byte_ns"] as const satisfies readonly NumberKey<HttpTiming>[];
const HTTP_NULLABLE = [
  "pool_wait_start_ns",
  "pool_wait_end_ns",
  "connect_start_ns",
  "connect_end_ns",
  "send_start_ns",
  "send_end_ns",
  "bytes_sent",
  "bytes_received",
  "writes",
  "reads",
] as const satisfies readonly NullableNumberKey<HttpTiming>[];
const TRANSPORTS = ["http1", "fetch"] as const satisfies readonly HttpTiming["transport"][];

// A field added to the record and not to the lists above is a compile error here, not a field lost
// between threads.
type RecordCovered =
  | (typeof RECORD_NUMBERS)[number]
  | (typeof RECORD_NULLABLE)[number]
  | (typeof RECORD_STRINGS)[number]
  | "x_correlation_id"
  | "phase"
  | "cancelled"
  | "error"
  | "chunks"
  | "http";
type HttpCovered = (typeof HTTP_NUMBERS)[number] | (typeof HTTP_NULLABLE)[number] | "transport" | "reused";
type Uncovered = Exclude<keyof RequestRecord, RecordCovered> | Exclude<keyof HttpTiming, HttpCovered>;
export const EVERY_FIELD_CODED: [Uncovered] extends [never] ? true : Uncovered = true;

// Record flags (one number per record); bits from NULL_BIT on mark the RECORD_NULLABLE fields that are null.
const HAS_CORRELATION = 1;
const HAS_ERROR = 2;
const HAS_HTTP = 4;
const CANCELLED = 8;
const NULL_BIT = 16;
// HTTP flags; bits from HTTP_NULL_BIT on mark the HTTP_NULLABLE fields that are null.
const REUSED_NULL = 1;
const REUSED = 2;
const HTTP_NULL_BIT = 4;

/** Numbers per record before its strings' lengths: flags, phase, the numbers, the nullable numbers. */
const FIXED = 2 + RECORD_NUMBERS.length + RECORD_NULLABLE.length + RECORD_STRINGS.length;
const HTTP_SIZE = 2 + HTTP_NUMBERS.length + HTTP_NULLABLE.length;

export interface EncodedRecords {
  /** Every number of the batch; its buffer is what a postMessage transfers. */
  nums: Float64Array;
  /** Every string of the batch, one after another (their lengths are in `nums`). */
  text: string;
  count: number;
  /** The records' waitingBytes (record-bytes.ts): what they would hold as objects, for back-pressure. */
  bytes: number;
}

function size(r: RequestRecord): number {
  return FIXED + (r.x_correlation_id === undefined ? 0 : 1) + (r.error === null ? 0 : 3) + (r.http === undefined ? 0 : HTTP_SIZE) + 1 + 3 * r.chunks.length;
}

function indexOf<T>(list: readonly T[], v: T, what: string): number {
  const i = list.indexOf(v);
  if (i < 0) throw new Error(`record-codec: unknown ${what} ${JSON.stringify(v)}`);
  return i;
}

export function encodeRecords(records: readonly RequestRecord[]): EncodedRecords {
  let n = 0;
  let bytes = 0;
  for (const r of records) {
    n += size(r);
    bytes += waitingBytes(r);
  }
  const nums = new Float64Array(n);
  const texts: string[] = [];
  let at = 0;
  for (const r of records) {
    const flagsAt = at;
    at += 2;
    let flags = r.cancelled ? CANCELLED : 0;
    nums[flagsAt + 1] = indexOf(PHASES, r.phase, "phase");
    for (const k of RECORD_NUMBERS) nums[at++] = r[k];
    for (let i = 0; i < RECORD_NULLABLE.length; i++) {
      const v = r[RECORD_NULLABLE[i]!];
      if (v === null) flags += NULL_BIT * 2 ** i;
      nums[at++] = v ?? 0;
    }
    for (const k of RECORD_STRINGS) {
      texts.push(r[k]);
      nums[at++] = r[k].length;
    }
    if (r.x_correlation_id !== undefined) {
      flags |= HAS_CORRELATION;
      texts.push(r.x_correlation_id);
      nums[at++] = r.x_correlation_id.length;
    }
    if (r.error !== null) {
      flags |= HAS_ERROR;
      at = encodeError(r.error, nums, at, texts);
    }
    if (r.http !== undefined) {
      flags |= HAS_HTTP;
      at = encodeHttp(r.http, nums, at);
    }
    nums[flagsAt] = flags;
    nums[at++] = r.chunks.length;
    for (const c of r.chunks) {
      nums[at++] = c.arrival_ns;
      nums[at++] = c.tokens;
      nums[at++] = c.bytes;
    }
  }
  return { nums, text: texts.join(""), count: records.length, bytes };
}

function encodeError(e: RecordError, nums: Float64Array, at: number, texts: string[]): number {
  nums[at] = e.code;
  nums[at + 1] = e.type.length;
  nums[at + 2] = e.message.length;
  texts.push(e.type, e.message);
  return at + 3;
}

function encodeHttp(h: HttpTiming, nums: Float64Array, at: number): number {
  let flags = h.reused === null ? REUSED_NULL : h.reused ? REUSED : 0;
  nums[at + 1] = indexOf(TRANSPORTS, h.transport, "transport");
  let i = at + 2;
  for (const k of HTTP_NUMBERS) nums[i++] = h[k];
  for (let j = 0; j < HTTP_NULLABLE.length; j++) {
    const v = h[HTTP_NULLABLE[j]!];
    if (v === null) flags += HTTP_NULL_BIT * 2 ** j;
    nums[i++] = v ?? 0;
  }
  nums[at] = flags;
  return i;
}

/** Reads the records of an encoded batch back, one at a time, in the order they were encoded. */
export class RecordReader {
  private at = 0;
  private textAt = 0;
  private read = 0;

  constructor(private readonly batch: EncodedRecords) {}

  get remaining(): number {
    return this.batch.count - this.read;
  }

  next(): RequestRecord {
    if (this.read >= this.batch.count) throw new Error("record-codec: no records left in the batch");
    this.read++;
    const nums = this.batch.nums;
    const flags = nums[this.at]!;
    const phase = PHASES[nums[this.at + 1]!]!;
    this.at += 2;
    const r = emptyRecord(
      {
        request_index: 0,
        session_num: 0,
        conversation_id: "",
        turn_index: 0,
        worker_id: 0,
        phase,
        model: "",
        scheduled_ns: 0,
        queue_ns: 0,
        input_tokens: 0,
        requested_output_tokens: null,
      },
      "",
      "",
    );
    r.cancelled = (flags & CANCELLED) !== 0;
    for (const k of RECORD_NUMBERS) r[k] = nums[this.at++]!;
    for (let i = 0; i < RECORD_NULLABLE.length; i++) {
      const v = nums[this.at++]!;
      r[RECORD_NULLABLE[i]!] = Math.floor(flags / (NULL_BIT * 2 ** i)) % 2 === 1 ? null : v;
    }
    for (const k of RECORD_STRINGS) r[k] = this.string();
    if (flags & HAS_CORRELATION) r.x_correlation_id = this.string();
    if (flags & HAS_ERROR) {
      const code = nums[this.at]!;
      this.at++;
      r.error = { code, type: this.string(), message: this.string() };
    }
    if (flags & HAS_HTTP) r.http = this.http();
    const n = nums[this.at++]!;
    const chunks = r.chunks;
    for (let i = 0; i < n; i++, this.at += 3) chunks.push({ arrival_ns: nums[this.at]!, tokens: nums[this.at + 1]!, bytes: nums[this.at + 2]! });
    return r;
  }

  /** The next string: its length is the next number. */
  private string(): string {
    const len = this.batch.nums[this.at++]!;
    const s = this.batch.text.slice(this.textAt, this.textAt + len);
    this.textAt += len;
    return s;
  }

  private http(): HttpTiming {
    const nums = this.batch.nums;
    const flags = nums[this.at]!;
    const h = { transport: TRANSPORTS[nums[this.at + 1]!]!, reused: flags & REUSED_NULL ? null : (flags & REUSED) !== 0 } as HttpTiming;
    this.at += 2;
    for (const k of HTTP_NUMBERS) h[k] = nums[this.at++]!;
    for (let j = 0; j < HTTP_NULLABLE.length; j++) {
      const v = nums[this.at++]!;
      h[HTTP_NULLABLE[j]!] = Math.floor(flags / (HTTP_NULL_BIT * 2 ** j)) % 2 === 1 ? null : v;
    }
    return h;
  }
}

/** Every record of an encoded batch. */
export function decodeRecords(batch: EncodedRecords): RequestRecord[] {
  const reader = new RecordReader(batch);
  const out: RequestRecord[] = [];
  while (reader.remaining > 0) out.push(reader.next());
  return out;
}
