import { describe, expect, test } from "bun:test";
import { runInfo } from "../../../src/run/exports.ts";

describe("run_info", () => {
  test("a single run: the base variation, trial 0", () => {
    expect(runInfo({ randomSeed: 5 }, { runId: "r" })).toEqual({
      benchmarkId: "r",
      sweepId: null,
      randomSeed: 5,
      trial: 0,
      runLabel: "run_0001",
      variationLabel: "base",
      variationIndex: 0,
      variationValues: {},
      cliCommand: null,
    });
  });

  test("a sweep point is a variation, a repeat of it a trial", () => {
    const info = runInfo({ randomSeed: 0 }, { runId: "r", sweep: { sweepId: "s", point: 3, repeat: 2 } });
    expect([info.sweepId, info.variationLabel, info.variationIndex, info.trial, info.runLabel]).toEqual(["s", "point_3", 2, 1, "run_0002"]);
  });
});
