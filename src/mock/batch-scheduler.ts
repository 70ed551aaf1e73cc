// Batched-decode model, pure: no clock, no timers (batch-driver.ts ticks it). Every step each
// admitted request emits one chunk; at most maxBatchSize requests decode at once and the rest
// wait FIFO. Throughput therefore saturates at maxBatchSize * tokensPerChunk per step.

export interface BatchJob {
  /** Chunks this job still has to emit; the scheduler decrements it per emitted chunk. */
  chunksLeft: number;
  /** A stalled job holds its batch slot but emits nothing before this time. */
  resumeAtMs: number;
}

export interface StepResult<J> {
  /** Jobs that emitted one chunk this step, in batch order. */
  emitted: J[];
  /** Jobs admitted into the batch at the end of this step; they emit from the next step on. */
  admitted: J[];
}

export class BatchCore<J extends BatchJob> {
  private readonly queue: J[] = [];
  private head = 0;
  private readonly batch: J[] = [];

  constructor(readonly maxBatchSize: number) {
    if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) throw new RangeError("maxBatchSize must be >= 1");
  }

  get runningCount(): number {
    return this.batch.length;
  }
  get waitingCount(): number {
    return this.queue.length - this.head;
  }
  get idle(): boolean {
    return this.runningCount === 0 && this.waitingCount === 0;
  }

  enqueue(job: J): void {
    this.queue.push(job);
  }

  /** Moves waiting jobs into free batch slots (FIFO); returns them. */
  admit(): J[] {
    const admitted: J[] = [];
    while (this.batch.length < this.maxBatchSize && this.head < this.queue.length) {
      const job = this.queue[this.head++]!;
      this.batch.push(job);
      admitted.push(job);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return admitted;
  }

  /** One decode step ending at `nowMs`: emit, retire finished jobs, then admit into freed slots. */
  step(nowMs: number): StepResult<J> {
    const emitted: J[] = [];
    let keep = 0;
    for (let i = 0; i < this.batch.length; i++) {
      const job = this.batch[i]!;
      if (job.chunksLeft > 0 && job.resumeAtMs <= nowMs) {
        job.chunksLeft--;
        emitted.push(job);
      }
      if (job.chunksLeft > 0) this.batch[keep++] = job;
    }
    this.batch.length = keep;
    return { emitted, admitted: this.admit() };
  }

  /** Drops a job wherever it is (client gone, fault); true if it was present. */
  remove(job: J): boolean {
    const b = this.batch.indexOf(job);
    if (b >= 0) {
      this.batch.splice(b, 1);
      return true;
    }
    const q = this.queue.indexOf(job, this.head);
    if (q >= 0) {
      this.queue.splice(q, 1);
      return true;
    }
    return false;
  }

  /** Empties the scheduler, returning every job it held (server stop). */
  drain(): J[] {
    const all = [...this.batch, ...this.queue.slice(this.head)];
    this.batch.length = 0;
    this.queue.length = 0;
    this.head = 0;
    return all;
  }
}
