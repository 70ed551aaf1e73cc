// The runs of a sweep in order: points x repeats, each with its directory (named so it sorts), the pause
// before it, its seed and whether it warms up. Pure; the runner follows it step by step.

export interface PlanOptions {
  /** Each point's directory name ("" when nothing is swept: the runs sit in the artifact dir itself). */
  pointDirs: readonly string[];
  /** --num-profile-runs. */
  repeats: number;
  /** repeated: the whole sweep once per run; independent: every run of a point, then the next point. */
  mode: "repeated" | "independent";
  sweepCooldownSec: number;
  runCooldownSec: number;
  /** --profile-run-disable-warmup-after-first: only a point's first run keeps the warmup. */
  warmupFirstRunOnly: boolean;
  baseSeed: number;
  /** --parameter-sweep-same-seed: every point uses the base seed, else point i uses base + i (as AIPerf). */
  sameSeedAcrossPoints: boolean;
  /** Each run of a point gets its own seed (--vary-seed-per-trial, or --no-set-consistent-seed). */
  varySeedPerRun: boolean;
}

export interface PlanStep {
  /** 0-based. */
  point: number;
  /** 0-based. */
  repeat: number;
  /** Relative to the sweep's directory: "concurrency_0008", "concurrency_0008/run_02", "run_02". */
  dir: string;
  /** Seconds to pause before this run (0 for the first). */
  cooldownSec: number;
  warmup: boolean;
  seed: number;
}

/** Seeds of a point's later runs, when they differ, are this far apart (far from the per-point offsets). */
export const RUN_SEED_STRIDE = 1_000_000;
const MAX_SEED = 2 ** 31 - 1;

export function runDirName(repeat: number, repeats: number): string {
  return `run_${String(repeat + 1).padStart(Math.max(2, String(repeats).length), "0")}`;
}

export function planSteps(o: PlanOptions): PlanStep[] {
  const points = o.pointDirs.length;
  const order: [point: number, repeat: number][] = [];
  if (o.mode === "independent") for (let p = 0; p < points; p++) for (let r = 0; r < o.repeats; r++) order.push([p, r]);
  else for (let r = 0; r < o.repeats; r++) for (let p = 0; p < points; p++) order.push([p, r]);
  return order.map(([point, repeat], i) => {
    const prev = order[i - 1];
    // Between two runs the pause belongs to the loop that moved on: the outer loop's when it did.
    let cooldownSec = 0;
    if (prev !== undefined) {
      const pointChanged = prev[0] !== point;
      const repeatChanged = prev[1] !== repeat;
      if (o.mode === "independent") cooldownSec = pointChanged ? o.sweepCooldownSec : o.runCooldownSec;
      else cooldownSec = repeatChanged ? o.runCooldownSec : o.sweepCooldownSec;
    }
    const pointSeed = o.sameSeedAcrossPoints ? o.baseSeed : o.baseSeed + point;
    const seed = (o.varySeedPerRun ? pointSeed + RUN_SEED_STRIDE * repeat : pointSeed) % MAX_SEED;
    const base = o.pointDirs[point]!;
    const dir = o.repeats === 1 ? base : base === "" ? runDirName(repeat, o.repeats) : `${base}/${runDirName(repeat, o.repeats)}`;
    return { point, repeat, dir, cooldownSec, warmup: !o.warmupFirstRunOnly || repeat === 0, seed };
  });
}
