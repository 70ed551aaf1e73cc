// The few numbers of a finished request the live view needs, packed into a Float64Array on the main
// thread (a handful of stores per request, no objects) and handed to the dashboard thread a few times
// a second, which replays them into its LiveStats. Failed requests carry their error beside the numbers.
import type { RecordValues } from "../metrics/record-values.ts";
import { recordError } from "../metrics/record-values.ts";
import type { RecordError, RequestRecord } from "../record/request-record.ts";
import type { LiveStats } from "./live-stats.ts";

/** Numbers per request: phase (0 warmup, 1 profiling), start_ns, end_ns, failed (0/1), output tokens, TTFT, ITL, latency (ns; NaN = none). */
const FIELDS = 8;
const INITIAL_REQUESTS = 1024;

export interface LiveSampleBatch {
  values: Float64Array;
  count: number;
  /** One per failed request, in order. */
  errors: RecordError[];
}

const numOrNaN = (v: unknown): number => (typeof v === "number" ? v : Number.NaN);

export class LiveSampleBuffer {
  private values = new Float64Array(INITIAL_REQUESTS * FIELDS);
  private count = 0;
  private errors: RecordError[] = [];

  add(r: RequestRecord, values: RecordValues): void {
    if ((this.count + 1) * FIELDS > this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    const error = recordError(r);
    const v = this.values;
    const at = this.count * FIELDS;
    v[at] = r.phase === "profiling" ? 1 : 0;
    v[at + 1] = r.start_ns;
    v[at + 2] = r.end_ns;
    v[at + 3] = error === null ? 0 : 1;
    v[at + 4] = numOrNaN(values.get("output_sequence_length"));
    v[at + 5] = numOrNaN(values.get("time_to_first_token"));
    v[at + 6] = numOrNaN(values.get("inter_token_latency"));
    v[at + 7] = numOrNaN(values.get("request_latency"));
    if (error !== null) this.errors.push(error);
    this.count++;
  }

  /** What was added since the last take (its buffer is handed over: post it as a transfer). */
  take(): LiveSampleBatch {
    const batch = { values: this.values.slice(0, this.count * FIELDS), count: this.count, errors: this.errors };
    this.count = 0;
    this.errors = [];
    return batch;
  }
}

/** Replays a batch into `stats` (exactly what LiveStats.add would have done with each request). */
export function replayLiveSamples(stats: LiveStats, batch: LiveSampleBatch): void {
  const v = batch.values;
  let e = 0;
  const opt = (x: number): number | undefined => (Number.isNaN(x) ? undefined : x);
  for (let i = 0; i < batch.count; i++) {
    const at = i * FIELDS;
    const failed = v[at + 3] === 1;
    const error = failed ? (batch.errors[e++] ?? null) : null;
    const tokens = v[at + 4]!;
    stats.addSample(
      v[at] === 1 ? "profiling" : "warmup",
      v[at + 1]!,
      v[at + 2]!,
      error,
      Number.isNaN(tokens) ? 0 : tokens,
      opt(v[at + 5]!),
      opt(v[at + 6]!),
      opt(v[at + 7]!),
    );
  }
}
