// Where finished requests go. Each record's metric values are computed once, here, and handed to
// every sink: the DuckDB file, the JSONL export, the failure guard and the live counters. Records are
// never kept: a sink stores or counts, and the summary at the end is read back with SQL.
import { DeferredWork } from "../client/deferred-work.ts";
import { recordValues, type RecordOptions, type RecordValues } from "../metrics/record-values.ts";
import type { RequestRecord } from "../record/request-record.ts";
import { jsonlLine } from "../report/profile-jsonl.ts";
import type { LineWriter } from "../store/line-writer.ts";

export interface RecordSink {
  add(record: RequestRecord, values: RecordValues): void;
}

/** profile_export.jsonl: profiling requests only (AIPerf drops warmup records before export). `httpTrace`: --export-http-trace. */
export function jsonlSink(writer: LineWriter, httpTrace = false): RecordSink {
  const meta = { httpTrace };
  return {
    add(r, values) {
      if (r.phase !== "profiling") return;
      const line = jsonlLine(r, values, meta);
      if (line !== null) writer.write(line);
    },
  };
}

/** Minimum finished requests before the failure fraction can abort a run (one early error is not a trend). */
const MIN_FOR_FAILURE_THRESHOLD = 10;

/** True when more than `threshold` (a fraction) of the finished requests failed; never with no threshold. */
export function exceedsFailureThreshold(finished: number, failed: number, threshold: number | undefined): boolean {
  return threshold !== undefined && finished >= MIN_FOR_FAILURE_THRESHOLD && failed / finished > threshold;
}

/** Counts what finished, for the progress line and --failed-request-threshold. */
export class LiveCounts implements RecordSink {
  finished = 0;
  failed = 0;

  constructor(
    private readonly threshold: number | undefined,
    private readonly onTooManyFailures: (failed: number, finished: number) => void,
  ) {}

  add(r: RequestRecord): void {
    this.finished++;
    if (r.error !== null) this.failed++;
    if (exceedsFailureThreshold(this.finished, this.failed, this.threshold)) this.onTooManyFailures(this.failed, this.finished);
  }
}

/**
 * Feeds every sink, in short slices with pauses between them: storing costs ~0.1 ms a record, and on a
 * small machine the worker stamping arrivals must not be kept off its core by a burst of finished
 * requests. Past 2,000 waiting records it stops pausing, so the lag (and the DuckDB flush delay) stays bounded.
 */
export class RecordFanout {
  private readonly work = new DeferredWork({ sliceMs: 0.5, pauseMs: 1, maxBacklog: 2000 });

  constructor(
    private readonly sinks: readonly RecordSink[],
    private readonly opts: RecordOptions,
  ) {}

  addBatch(batch: readonly RequestRecord[]): void {
    for (const r of batch) this.work.add(() => this.store(r));
  }

  store(r: RequestRecord): void {
    const values = recordValues(r, this.opts);
    for (const s of this.sinks) s.add(r, values);
  }

  /** Stores everything still queued (end of run). */
  drain(): void {
    this.work.drain();
  }
}
