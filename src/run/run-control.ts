// Why and how a run stops early: Ctrl-C / SIGTERM, the failure threshold, a storage failure, a trace
// prompt that cannot be built. Every path ends the same way: stop sending, cancel what is in flight
// (those requests are still recorded, as cancelled), finish the artifacts.
import type { ConsolaInstance } from "consola";
import type { SharedState } from "../engine/shared-state.ts";
import type { WorkerPool } from "../engine/worker-pool.ts";
import type { Io } from "../runtime/io.ts";

export class RunControl {
  interrupted = false;
  abortedOnFailures = false;
  /** One line naming the file and the cause, once a write failed. */
  storageFailure: string | null = null;
  feedFailure: string | null = null;
  /** Set once the workers exist. */
  pool: WorkerPool | null = null;
  private readonly removeSignal: () => void;

  constructor(
    private readonly shared: SharedState,
    private readonly io: Io,
    private readonly log: ConsolaInstance,
  ) {
    // Registered first, so a Ctrl-C during set-up is not lost: workers then start and issue nothing.
    this.removeSignal = io.onSignal(() => this.onSignal());
  }

  get cancelled(): boolean {
    return this.shared.cancelled;
  }

  cancelAll(why: string): void {
    if (this.shared.cancelled) return;
    this.log.warn(why);
    this.shared.cancelAll();
    this.pool?.cancel();
  }

  /** The duration is over: issue nothing more; what is in flight finishes. */
  stopSending(): void {
    this.shared.stopSending();
    this.pool?.stop();
  }

  tooManyFailures(failed: number, finished: number, threshold: number | undefined): void {
    if (this.abortedOnFailures) return;
    this.abortedOnFailures = true;
    this.cancelAll(`aborting: ${failed} of ${finished} requests failed, more than --failed-request-threshold ${threshold}`);
  }

  storageFailed(e: Error, path: string): void {
    if (this.storageFailure !== null) return;
    this.storageFailure = `cannot write ${path}: ${e.message.split("\n")[0]}`;
    this.cancelAll(`stopping: ${this.storageFailure}; what was written before stays readable`);
  }

  feedFailed(e: Error): void {
    this.feedFailure ??= e.message;
    this.cancelAll(`stopping: a trace prompt could not be built (${e.message})`);
  }

  private onSignal(): void {
    if (this.interrupted) {
      // Second Ctrl-C: leave now. DuckDB and the JSONL were flushed at most 0.5 s ago.
      this.log.warn("interrupted twice: exiting now");
      this.io.exit(130);
      return;
    }
    this.interrupted = true;
    this.cancelAll("interrupted: cancelling in-flight requests (press Ctrl-C again to exit at once); they are recorded as cancelled");
  }

  dispose(): void {
    this.removeSignal();
    this.pool?.terminate();
  }
}
