import { expect, test } from "bun:test";
import { exitCode, type ExitInputs } from "../../../src/run/exit-code.ts";
import { exceedsFailureThreshold } from "../../../src/run/sinks.ts";

const run = (total: number, succeeded: number, failed: number, more: Partial<ExitInputs> = {}): ExitInputs => ({
  counts: { total, succeeded, failed },
  interrupted: false,
  abortedOnFailures: false,
  storageFailed: false,
  threshold: undefined,
  ...more,
});

test.each([
  ["all ok", run(2, 2, 0), 0],
  ["a failure, no threshold", run(2, 1, 1), 1],
  ["a failure within the threshold", run(4, 3, 1, { threshold: 0.25 }), 0],
  ["failures past the threshold", run(3, 1, 2, { threshold: 0.5 }), 1],
  ["cancellations on purpose are not failures", run(4, 2, 0), 0],
  ["nothing finished: nothing measured", run(0, 0, 0), 1],
  ["every request failed, even within a threshold of 1", run(5, 0, 5, { threshold: 1 }), 1],
  ["only planned cancellations: nothing measured", run(3, 0, 0), 1],
  ["interrupted", run(1, 1, 0, { interrupted: true }), 1],
  ["aborted on failures", run(1, 1, 0, { abortedOnFailures: true, threshold: 0.1 }), 1],
  ["a write failed", run(1, 1, 0, { storageFailed: true }), 1],
] as const)("exitCode: %s", (_name, inputs, want) => {
  expect(exitCode(inputs)).toBe(want);
});

test.each([
  [9, 9, 0.1, false], // too few to judge
  [10, 2, 0.1, true],
  [10, 1, 0.1, false], // exactly at the threshold is within it
  [100, 60, 0.5, true],
  [100, 60, undefined, false],
])("exceedsFailureThreshold(%d finished, %d failed, %p)", (finished, failed, threshold, want) => {
  expect(exceedsFailureThreshold(finished, failed, threshold)).toBe(want);
});
