import { describe, expect, test } from "bun:test";
import { type PlanOptions, planSteps } from "../../../src/run/sweep-plan.ts";

const BASE: PlanOptions = {
  pointDirs: ["concurrency_0008", "concurrency_0016"],
  repeats: 1,
  mode: "repeated",
  sweepCooldownSec: 5,
  runCooldownSec: 30,
  warmupFirstRunOnly: true,
  baseSeed: 10,
  sameSeedAcrossPoints: false,
  varySeedPerRun: false,
};

const row = (s: ReturnType<typeof planSteps>[number]) => [s.point, s.repeat, s.dir, s.cooldownSec, s.warmup, s.seed];

const CASES: { name: string; over: Partial<PlanOptions>; steps: (string | number | boolean)[][] }[] = [
  {
    name: "a sweep: one run per point, the sweep cooldown between points, seed + point",
    over: {},
    steps: [
      [0, 0, "concurrency_0008", 0, true, 10],
      [1, 0, "concurrency_0016", 5, true, 11],
    ],
  },
  {
    name: "repeated mode: the whole sweep per run; the run cooldown when a new run starts; warmup only in runs 1",
    over: { repeats: 2 },
    steps: [
      [0, 0, "concurrency_0008/run_01", 0, true, 10],
      [1, 0, "concurrency_0016/run_01", 5, true, 11],
      [0, 1, "concurrency_0008/run_02", 30, false, 10],
      [1, 1, "concurrency_0016/run_02", 5, false, 11],
    ],
  },
  {
    name: "independent mode: all runs of a point first; the sweep cooldown when the point changes",
    over: { repeats: 2, mode: "independent" },
    steps: [
      [0, 0, "concurrency_0008/run_01", 0, true, 10],
      [0, 1, "concurrency_0008/run_02", 30, false, 10],
      [1, 0, "concurrency_0016/run_01", 5, true, 11],
      [1, 1, "concurrency_0016/run_02", 30, false, 11],
    ],
  },
  {
    name: "repeats only (nothing swept): run_NN in the artifact dir; warmup every run; one seed for all points",
    over: { pointDirs: [""], repeats: 3, warmupFirstRunOnly: false, sameSeedAcrossPoints: true },
    steps: [
      [0, 0, "run_01", 0, true, 10],
      [0, 1, "run_02", 30, true, 10],
      [0, 2, "run_03", 30, true, 10],
    ],
  },
  {
    name: "a seed per run when asked; run dirs padded to the run count",
    over: { pointDirs: [""], repeats: 10, varySeedPerRun: true },
    steps: Array.from({ length: 10 }, (_, r) => [0, r, `run_${String(r + 1).padStart(2, "0")}`, r === 0 ? 0 : 30, r === 0, 10 + 1_000_000 * r]),
  },
];

describe("planSteps", () => {
  test.each(CASES)("$name", ({ over, steps }) => {
    expect(planSteps({ ...BASE, ...over }).map(row)).toEqual(steps);
  });

  test("run directories sort in run order past 9 runs and point directories keep their order", () => {
    const dirs = planSteps({ ...BASE, pointDirs: ["a_0002", "a_0010", "a_0100"], repeats: 10, mode: "independent" }).map((s) => s.dir);
    expect(dirs.length).toBe(30);
    expect([...dirs].sort()).toEqual(dirs);
  });
});
