import { expect, test } from "bun:test";
import { evenSplit } from "../../../src/engine/worker-pool.ts";

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
