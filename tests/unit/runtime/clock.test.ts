// One clock for every thread: a worker's epochNs() must fall between two main-thread readings
// taken around it (Bun.nanoseconds() would not: it counts from each thread's own start).
import { expect, test } from "bun:test";
import { join, resolve } from "node:path";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { epochNs } from "../../../src/runtime/clock.ts";

test("worker and main thread epochNs() agree", async () => {
  const clock = resolve(import.meta.dir, "../../../src/runtime/clock.ts");
  const src = `import { epochNs } from ${JSON.stringify(clock)};
    self.onmessage = () => postMessage(epochNs());`;
  const file = join(mkdtempSync(join(tmpdir(), "llmbench-clock-")), "clock-worker.ts");
  await Bun.write(file, src);
  const w = new Worker(file);
  try {
    // Let the worker start, then sample several round trips.
    await new Promise<void>((r) => ((w.onmessage = () => r()), w.postMessage(0)));
    for (let i = 0; i < 20; i++) {
      const before = epochNs();
      const inWorker = await new Promise<number>((r) => ((w.onmessage = (e: MessageEvent<number>) => r(e.data)), w.postMessage(0)));
      const after = epochNs();
      // 256 ns: the resolution of an epoch-ns double.
      expect(inWorker).toBeGreaterThanOrEqual(before - 256);
      expect(inWorker).toBeLessThanOrEqual(after + 256);
    }
  } finally {
    w.terminate();
    await Bun.file(file).delete();
  }
});

test("epochNs is wall-clock epoch nanoseconds and monotonic within a thread", () => {
  const a = epochNs();
  expect(Math.abs(a / 1e6 - Date.now())).toBeLessThan(50);
  let prev = a;
  for (let i = 0; i < 10000; i++) {
    const t = epochNs();
    expect(t).toBeGreaterThanOrEqual(prev);
    prev = t;
  }
});
