// Where finished requests go. Each record's metric values are computed once, here, and handed to
// every sink: the DuckDB file, the JSONL export, the failure guard and the live counters. Records are
// never kept: a sink stores or counts, and the summary at the end is read back with SQL.
import { DeferredWork } from "../client/deferred-work.ts";
import { recordValues, type RecordOptions, type RecordValues } from "../metrics/record-values.ts";
import type { UnreachableTracker, UnreachableWindow } from "../metrics/unreachable.ts";
import { type EncodedRecords, RecordReader } from "../record/record-codec.ts";
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

/** Says each outage as it ends: the window the record closed, not the latest by start (records arrive out of order). */
export function outageSink(tracker: UnreachableTracker, say: (w: UnreachableWindow) => void): RecordSink {
  return {
    add: (r) => {
      const closed = tracker.add(r);
      if (closed !== null) say(closed);
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

export interface BackpressureLimits {
  /** Waiting records' estimated bytes at which workers are told to start nothing new. */
  holdAtBytes: number;
  /** ... and at which they may start again. */
  releaseAtBytes: number;
  /** Waiting records' estimated bytes at which workers are told storage is falling behind (they leave the core while they wait to send) ... */
  behindAtBytes: number;
  /** ... and at which it has caught up. */
  caughtUpAtBytes: number;
}

/** At most ~32 MiB of finished records wait to be stored, whatever the run's length or rate; from 4 MiB the workers leave the core when they can. */
export const DEFAULT_BACKPRESSURE: BackpressureLimits = {
  holdAtBytes: 32 * 2 ** 20,
  releaseAtBytes: 16 * 2 ** 20,
  behindAtBytes: 4 * 2 ** 20,
  caughtUpAtBytes: 2 ** 20,
};

/** What the workers are told of the backlog. */
export interface BackpressureSignals {
  /** Start no new request (true) / start again (false). */
  hold(on: boolean): void;
  /** Storage is falling behind, short of a hold (true) / has caught up (false). */
  behind?(on: boolean): void;
}

const NO_SIGNALS: BackpressureSignals = { hold: () => {} };

/**
 * Feeds every sink, in short slices with pauses between them: storing costs tens of us a record, and on a
 * small machine the worker stamping arrivals must not be kept off its core by a burst of finished
 * requests. Past 2,000 waiting records it stops pausing, so the lag (and the DuckDB flush delay) stays bounded.
 *
 * If records still arrive faster than they are stored, `hold(true)` asks the workers to start no new
 * request until the backlog is down to half (back-pressure): memory stays bounded and the wait shows up
 * as the requests' queue time, never as lost or buffered-without-limit records.
 */
export class RecordFanout {
  private readonly work = new DeferredWork({ sliceMs: 0.5, pauseMs: 1, maxBacklog: 2000 });
  /** Estimated bytes of the records queued and not yet stored. */
  private backlogBytes = 0;
  private holdingSinceMs: number | null = null;
  private behindNow = false;
  private heldTotalMs = 0;
  /** Times the workers were held. */
  holds = 0;

  constructor(
    private readonly sinks: readonly RecordSink[],
    private readonly opts: RecordOptions,
    private readonly signals: BackpressureSignals = NO_SIGNALS,
    private readonly limits: BackpressureLimits = DEFAULT_BACKPRESSURE,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** Queues an encoded batch (record-codec.ts); each record is decoded only when its turn to be stored comes. */
  addBatch(batch: EncodedRecords): void {
    const reader = new RecordReader(batch);
    const bytes = batch.count === 0 ? 0 : batch.bytes / batch.count;
    for (let i = 0; i < batch.count; i++) {
      this.backlogBytes += bytes;
      this.work.add(() => this.storeQueued(reader.next(), bytes));
    }
    if (!this.behindNow && this.backlogBytes >= this.limits.behindAtBytes) this.setBehind(true);
    if (this.holdingSinceMs === null && this.backlogBytes >= this.limits.holdAtBytes) {
      this.holdingSinceMs = this.nowMs();
      this.holds++;
      this.signals.hold(true);
    }
  }

  store(r: RequestRecord): void {
    const values = recordValues(r, this.opts);
    for (const s of this.sinks) s.add(r, values);
  }

  /** Stores everything still queued (end of run). The load is over: a hold still on ends now, not when the drain does. */
  drain(): void {
    this.endHold();
    if (this.behindNow) this.setBehind(false);
    this.work.drain();
  }

  /** Estimated bytes of finished records waiting to be stored. */
  get waitingBytes(): number {
    return this.backlogBytes;
  }

  /** ms the workers have been held so far, a hold still going included. */
  get heldMs(): number {
    return this.heldTotalMs + (this.holdingSinceMs === null ? 0 : this.nowMs() - this.holdingSinceMs);
  }

  private storeQueued(r: RequestRecord, bytes: number): void {
    this.store(r);
    this.backlogBytes -= bytes;
    if (this.backlogBytes <= this.limits.releaseAtBytes) this.endHold();
    if (this.behindNow && this.backlogBytes <= this.limits.caughtUpAtBytes) this.setBehind(false);
  }

  private setBehind(on: boolean): void {
    this.behindNow = on;
    this.signals.behind?.(on);
  }

  private endHold(): void {
    if (this.holdingSinceMs === null) return;
    this.heldTotalMs += this.nowMs() - this.holdingSinceMs;
    this.holdingSinceMs = null;
    this.signals.hold(false);
  }
}

/** The warning a run with back-pressure ends with: the client, not the server, set the pace for a while. */
export function heldWarning(heldMs: number, holds: number): string {
  return `storing results fell behind the load ${times(holds)}: new requests waited ${(heldMs / 1000).toFixed(1)} s in all (counted in their queue time) so finished records could not pile up in memory; ${CLIENT_LIMITED}`;
}

/** The warning a run ends with when workers held new requests while their records waited for token counts. */
export function countHeldWarning(holds: number): string {
  return `counting output tokens fell behind the load ${times(holds)}: new requests waited for it (counted in their queue time) so finished records could not pile up in memory; ${CLIENT_LIMITED}`;
}

/** The warning a run ends with when workers held new requests because this thread had not taken in their records. */
export function receiveHeldWarning(holds: number): string {
  return `the thread storing results (at --storage-priority idle) fell behind the load ${times(holds)}: new requests waited for it (counted in their queue time); ${CLIENT_LIMITED}`;
}

const times = (n: number): string => (n === 1 ? "once" : `${n} times`);
const CLIENT_LIMITED = "for that time this machine, not the server, limited throughput";
