import { expect, test } from "bun:test";
import { exceedsFailureThreshold, exitCode } from "../../../src/run/profile-run.ts";
import { makeRecord } from "../../helpers/records.ts";

const ok = makeRecord({ chunkMs: [10, 20] });
const bad = makeRecord({ error: { code: 500, type: "http_error", message: "x" } });
const warmBad = { ...bad, phase: "warmup" as const };

test.each([
  ["all ok", [ok, ok], false, false, null, 0],
  ["a failure, no threshold", [ok, bad], false, false, null, 1],
  ["a failure within the threshold", [ok, ok, ok, bad], false, false, 0.25, 0],
  ["failures past the threshold", [ok, bad, bad], false, false, 0.5, 1],
  ["warmup failures do not count", [ok, warmBad], false, false, null, 0],
  ["interrupted", [ok], true, false, null, 1],
  ["aborted on failures", [ok], false, true, 0.1, 1],
])("exitCode: %s", (_name, records, interrupted, abortedOnFailures, threshold, want) => {
  expect(exitCode({ records, interrupted, abortedOnFailures }, threshold)).toBe(want);
});

test.each([
  [9, 9, 0.1, false], // too few to judge
  [10, 2, 0.1, true],
  [10, 1, 0.1, false], // exactly at the threshold is within it
  [100, 60, 0.5, true],
  [100, 60, null, false],
])("exceedsFailureThreshold(%d finished, %d failed, %p)", (finished, failed, threshold, want) => {
  expect(exceedsFailureThreshold(finished, failed, threshold)).toBe(want);
});
