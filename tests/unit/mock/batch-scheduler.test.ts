import { describe, expect, test } from "bun:test";
import { BatchCore, type BatchJob } from "../../../src/mock/batch-scheduler.ts";

interface Job extends BatchJob {
  id: number;
  firstStep: number | null;
  lastStep: number | null;
}
const job = (id: number, chunks: number): Job => ({ id, chunksLeft: chunks, resumeAtMs: 0, firstStep: null, lastStep: null });

/** Runs the core with a fake clock (1 ms per step) until idle or `maxSteps`; returns emits per step. */
function run(core: BatchCore<Job>, maxSteps: number, stepMs = 1): number[] {
  const perStep: number[] = [];
  for (let step = 1; step <= maxSteps && !core.idle; step++) {
    const { emitted } = core.step(step * stepMs);
    for (const j of emitted) {
      j.firstStep ??= step;
      j.lastStep = step;
    }
    perStep.push(emitted.length);
  }
  return perStep;
}

describe("BatchCore", () => {
  test("16 jobs x 10 chunks, batch 4: four waves, throughput capped at 4 per step", () => {
    const core = new BatchCore<Job>(4);
    const jobs = Array.from({ length: 16 }, (_, i) => job(i, 10));
    for (const j of jobs) core.enqueue(j);
    expect(core.admit().map((j) => j.id)).toEqual([0, 1, 2, 3]);
    expect([core.runningCount, core.waitingCount]).toEqual([4, 12]);
    const perStep = run(core, 1000);
    expect(Math.max(...perStep)).toBe(4);
    expect(perStep.reduce((s, x) => s + x, 0)).toBe(160);
    expect(perStep.length).toBe(40);
    // Wave w (FIFO) is admitted when wave w-1 finishes and emits one step later.
    expect(jobs.map((j) => j.firstStep)).toEqual([1, 1, 1, 1, 11, 11, 11, 11, 21, 21, 21, 21, 31, 31, 31, 31]);
    expect(jobs.map((j) => j.lastStep)).toEqual([10, 10, 10, 10, 20, 20, 20, 20, 30, 30, 30, 30, 40, 40, 40, 40]);
    expect(core.idle).toBe(true);
  });

  test("under the batch size nobody waits", () => {
    const core = new BatchCore<Job>(8);
    const jobs = [job(0, 3), job(1, 5)];
    for (const j of jobs) core.enqueue(j);
    core.admit();
    expect(core.waitingCount).toBe(0);
    run(core, 100);
    expect(jobs.map((j) => [j.firstStep, j.lastStep])).toEqual([
      [1, 3],
      [1, 5],
    ]);
  });

  test("a short job frees its slot for the next waiting one", () => {
    const core = new BatchCore<Job>(1);
    const jobs = [job(0, 2), job(1, 1), job(2, 1)];
    for (const j of jobs) core.enqueue(j);
    core.admit();
    run(core, 100);
    expect(jobs.map((j) => j.firstStep)).toEqual([1, 3, 4]);
  });

  test("a stalled job keeps its slot but emits nothing until resumeAtMs", () => {
    const core = new BatchCore<Job>(1);
    const a = job(0, 2);
    const b = job(1, 1);
    a.resumeAtMs = 5;
    core.enqueue(a);
    core.enqueue(b);
    core.admit();
    const perStep = run(core, 100);
    expect(perStep).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect([a.firstStep, b.firstStep]).toEqual([5, 7]);
  });

  test("remove works for running and waiting jobs", () => {
    const core = new BatchCore<Job>(1);
    const [a, b, c] = [job(0, 5), job(1, 5), job(2, 5)];
    core.enqueue(a);
    core.enqueue(b);
    core.enqueue(c);
    core.admit();
    expect(core.remove(b)).toBe(true);
    expect(core.remove(a)).toBe(true);
    expect(core.remove(a)).toBe(false);
    expect(core.waitingCount).toBe(1);
    expect(core.step(1).admitted).toEqual([c]);
    expect(core.drain()).toEqual([c]);
    expect(core.idle).toBe(true);
  });

  test("FIFO holds across queue compaction", () => {
    const core = new BatchCore<Job>(1);
    const jobs = Array.from({ length: 3000 }, (_, i) => job(i, 1));
    for (const j of jobs) core.enqueue(j);
    core.admit();
    run(core, 10_000);
    expect(jobs.every((j, i) => j.firstStep === i + 1)).toBe(true);
  });

  test("rejects a batch size below 1", () => {
    expect(() => new BatchCore<Job>(0)).toThrow(RangeError);
  });
});
