import { expect, test } from "bun:test";
import { renderProgress } from "../../../src/report/progress-bar.ts";

test.each([
  [{ done: 0, total: 10, inFlight: 0, errors: 0, elapsedMs: 0, durationMs: null }, "[                              ]   0% 0/10 requests | 0 in flight | 0 errors | 0.0 s"],
  [{ done: 5, total: 10, inFlight: 4, errors: 1, elapsedMs: 1234, durationMs: null }, "[===============               ]  50% 5/10 requests | 4 in flight | 1 errors | 1.2 s"],
  [{ done: 10, total: 10, inFlight: 0, errors: 0, elapsedMs: 2000, durationMs: null }, "[==============================] 100% 10/10 requests | 0 in flight | 0 errors | 2.0 s"],
  // Duration-bounded: progress is elapsed time over the duration, the count has no total.
  [{ done: 42, total: null, inFlight: 8, errors: 0, elapsedMs: 15_000, durationMs: 60_000 }, "[========                      ]  25% 42 requests | 8 in flight | 0 errors | 15.0 s"],
])("renderProgress %#", (state, line) => {
  expect(renderProgress(state)).toBe(line);
});
