// Drives BatchCore with one global timer that runs only while jobs exist. Each tick is scheduled
// stepMs after the previous tick started, never earlier, so a late timer lowers throughput
// instead of bursting past the cap.
import { BatchCore, type BatchJob } from "./batch-scheduler.ts";
import { monoMs } from "../runtime/clock.ts";

export interface DriverJob extends BatchJob {
  /** Entered the batch: the first chunk follows one step later (prefill). */
  onAdmit(): void;
  /** The scheduler granted one chunk. */
  onChunk(): void;
}

export class BatchDriver {
  private readonly core: BatchCore<DriverJob>;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    maxBatchSize: number,
    private readonly stepMs: number,
    private readonly now: () => number = monoMs,
  ) {
    this.core = new BatchCore<DriverJob>(maxBatchSize);
  }

  get runningCount(): number {
    return this.core.runningCount;
  }
  get waitingCount(): number {
    return this.core.waitingCount;
  }

  /** Queues a job; on an idle scheduler it is admitted at once and the clock starts. */
  submit(job: DriverJob): void {
    this.core.enqueue(job);
    if (this.timer === null) {
      for (const j of this.core.admit()) j.onAdmit();
      this.schedule(this.now());
    }
  }

  cancel(job: DriverJob): void {
    this.core.remove(job);
  }

  stop(): DriverJob[] {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    return this.core.drain();
  }

  private schedule(stepStartMs: number): void {
    const dueMs = stepStartMs + this.stepMs;
    // Bun truncates fractional delays (4.9 -> 4 ms): round up, and re-arm if still early.
    const arm = (): void => {
      this.timer = setTimeout(
        () => {
          if (this.now() < dueMs) arm();
          else this.tick();
        },
        Math.ceil(Math.max(0, dueMs - this.now())),
      );
    };
    arm();
  }

  private tick(): void {
    const start = this.now();
    const { emitted, admitted } = this.core.step(start);
    for (const j of admitted) j.onAdmit();
    for (const j of emitted) j.onChunk();
    if (this.core.idle) this.timer = null;
    else this.schedule(start);
  }
}
