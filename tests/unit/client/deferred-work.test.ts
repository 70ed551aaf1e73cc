import { expect, test } from "bun:test";
import { DeferredWork } from "../../../src/client/deferred-work.ts";

test("runs queued work later, in order, and not inside add()", async () => {
  const d = new DeferredWork();
  const seen: number[] = [];
  d.add(() => seen.push(1));
  d.add(() => seen.push(2));
  expect(seen).toEqual([]);
  await Bun.sleep(5);
  expect(seen).toEqual([1, 2]);
  expect(d.pending).toBe(0);
});

test("yields to the event loop once a slice's time is used, then continues in order", async () => {
  let clock = 0;
  const d = new DeferredWork({ now: () => clock });
  const seen: number[] = [];
  // Each item "takes" 0.06 ms of fake time: a 0.1 ms slice fits two.
  for (let i = 0; i < 6; i++) d.add(() => (seen.push(i), (clock += 0.06)));
  await new Promise<void>((r) => setImmediate(r)); // first slice ran
  expect(seen).toEqual([0, 1]);
  expect(d.pending).toBe(4);
  let ioRan = false;
  setTimeout(() => (ioRan = true), 0);
  await Bun.sleep(5);
  expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
  expect(ioRan).toBe(true);
  d.add(() => seen.push(6)); // the queue restarts after draining
  await Bun.sleep(5);
  expect(seen.at(-1)).toBe(6);
});

test("with a pause, slices are spaced by timers, and drain() runs the rest at once", async () => {
  let clock = 0;
  const d = new DeferredWork({ sliceMs: 0.1, pauseMs: 50, now: () => clock });
  const seen: number[] = [];
  for (let i = 0; i < 6; i++) d.add(() => (seen.push(i), (clock += 0.06)));
  await new Promise<void>((r) => setImmediate(r));
  expect(seen).toEqual([0, 1]);
  await Bun.sleep(10);
  expect(seen).toEqual([0, 1]); // still pausing
  d.drain();
  expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
});

test("past maxBacklog it stops pausing until caught up", async () => {
  let clock = 0;
  const d = new DeferredWork({ sliceMs: 0.1, pauseMs: 10_000, maxBacklog: 3, now: () => clock });
  const seen: number[] = [];
  for (let i = 0; i < 8; i++) d.add(() => (seen.push(i), (clock += 0.06)));
  await Bun.sleep(20); // backlog 6 > 3: no pause; 4 left after two more slices -> still > 3 -> one more; then 2 left: pause
  expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
  expect(d.pending).toBe(2);
  d.drain();
});

test("work already done is not kept while the queue never empties (no record outlives its storing)", async () => {
  // One item per slice and more arriving all the time: the queue is never empty at the end of a slice.
  let t = 0;
  const dw = new DeferredWork({ sliceMs: 1, now: () => (t += 1) });
  const refs: WeakRef<object>[] = [];
  let done = 0;
  const addOne = (): void => {
    const payload = { bytes: new Uint8Array(1024) };
    refs.push(new WeakRef(payload));
    dw.add(() => {
      done += payload.bytes.length > 0 ? 1 : 0;
      if (done < 6000) addOne();
    });
  };
  for (let i = 0; i < 8; i++) addOne();
  while (done < 5000) await new Promise((r) => setImmediate(r));
  Bun.gc(true);
  await new Promise((r) => setImmediate(r));
  Bun.gc(true);
  const alive = refs.slice(0, 4000).filter((r) => r.deref() !== undefined).length;
  expect(refs.length).toBeGreaterThan(5000);
  expect(dw.pending).toBeGreaterThan(0);
  expect(alive).toBe(0);
  dw.drain();
});
