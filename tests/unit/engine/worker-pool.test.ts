import { expect, test } from "bun:test";
import { evenSplit, startCountWorkers } from "../../../src/engine/worker-pool.ts";

// Preconnected sockets split over workers: every worker gets a part, earlier ones the remainder.
test.each([
  [8, 1, [8]],
  [10, 4, [3, 3, 2, 2]],
  [3, 5, [1, 1, 1, 0, 0]],
  [0, 2, [0, 0]],
])("evenSplit(%d, %d parts)", (total, n, want) => {
  expect(evenSplit(total, n)).toEqual(want);
  expect(evenSplit(total, n).reduce((a, b) => a + b, 0)).toBe(total);
});

// The count workers get the file of the main thread's tokenizer pack when there is one, not a copy of
// the pack (~5 MB, which stayed on both threads for the run).
test("a count worker's init names the pack file, or carries the pack when there is no file", () => {
  for (const tokenizer of [
    { spec: "builtin", packed: null, packFile: "/cache/builtin.pack" },
    { spec: "/models/t/tokenizer.json", packed: new TextEncoder().encode('{"format":1}\n...'), packFile: null },
  ]) {
    const sent: unknown[] = [];
    const fake = { postMessage: (m: unknown) => sent.push(m), unref: () => {}, addEventListener: () => {}, onerror: null } as unknown as Worker;
    const { workers } = startCountWorkers(
      1,
      tokenizer,
      () => fake,
      () => {},
    );
    expect(workers.length).toBe(1);
    expect(sent[0]).toEqual({ type: "init", tokenizer: tokenizer.spec, packed: tokenizer.packed, packFile: tokenizer.packFile });
  }
});
