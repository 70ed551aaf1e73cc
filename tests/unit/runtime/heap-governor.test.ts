import { describe, expect, test } from "bun:test";
import { edenGC } from "bun:jsc";
import { HeapGovernor } from "../../../src/runtime/heap-governor.ts";

const MB = 2 ** 20;

/** A heap that grows by what the test says, and shrinks to `liveMb` when collected. */
function fakeHeap(startMb: number, liveMb: number) {
  const h = { size: startMb * MB, collected: 0 };
  return {
    h,
    size: () => h.size,
    collect: () => {
      h.collected++;
      h.size = liveMb * MB;
    },
  };
}

describe("HeapGovernor", () => {
  // [what, heap sizes seen at successive checks (MB), live size after a collection (MB), collections expected after each check]
  const cases: [string, number[], number, number[]][] = [
    ["under budget: never collects", [60, 70, 80, 90, 108], 60, [0, 0, 0, 0, 0]],
    ["past baseline + 48 MB: collects once, then measures from the new live size", [60, 90, 109, 80, 100, 129], 70, [0, 0, 1, 1, 1, 2]],
    ["the engine collected on its own: the lower size becomes the baseline", [60, 100, 40, 80, 89], 40, [0, 0, 0, 0, 1]],
    ["live size grew for real: the budget counts from the larger live size", [60, 110, 145, 170], 100, [0, 1, 1, 2]],
  ];
  test.each(cases)("%s", (_what, sizesMb, liveMb, want) => {
    const heap = fakeHeap(sizesMb[0]!, liveMb);
    const gov = new HeapGovernor({ budgetBytes: 48 * MB, everyMs: 1000, size: heap.size, collect: heap.collect });
    const got: number[] = [];
    for (const mb of sizesMb) {
      heap.h.size = mb * MB;
      gov.check();
      got.push(gov.collections);
    }
    expect(got).toEqual(want);
    expect(heap.h.collected).toBe(want.at(-1)!);
  });

  test("start() checks on its timer and stop() ends it", async () => {
    const heap = fakeHeap(10, 10);
    const gov = new HeapGovernor({ budgetBytes: 1 * MB, everyMs: 5, size: heap.size, collect: heap.collect }).start();
    heap.h.size = 20 * MB;
    const deadline = Date.now() + 2000;
    while (gov.collections === 0 && Date.now() < deadline) await Bun.sleep(5);
    expect(gov.collections).toBe(1);
    gov.stop();
    heap.h.size = 40 * MB;
    await Bun.sleep(30);
    expect(gov.collections).toBe(1);
  });

  test("the real heap: with a budget of 0, what survived a young collection makes it collect", () => {
    Bun.gc(true);
    const gov = new HeapGovernor({ budgetBytes: 0, everyMs: 1000 });
    const junk: unknown[] = [];
    for (let i = 0; i < 200_000; i++) junk.push({ i, s: `x${i}` });
    // JavaScriptCore updates the heap size at collections; young ones run often under allocation.
    edenGC();
    expect(junk.length).toBe(200_000);
    expect(gov.check()).toBe(true);
    expect(gov.collections).toBe(1);
  });
});
