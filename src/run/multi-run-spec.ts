// What a profile command with sweep, repeat or search flags asks for, checked as a whole before any
// request: the points and runs of a sweep, or the bounds and SLOs of a capacity search, and one line
// for each flag given where it has no effect. Pure.
import type { FlagValue } from "../config/flag-spec.ts";
import { expandSweep, type SweepAxis, type SweepLevelFlags, type SweepPoint } from "../config/sweep-axes.ts";
import { type PlanStep, planSteps } from "./sweep-plan.ts";
import { SEARCH_PRECISION } from "./search-planner.ts";

export interface SweepSpec {
  kind: "sweep";
  axes: SweepAxis[];
  points: SweepPoint[];
  repeats: number;
  steps: PlanStep[];
  confidence: number;
  gpus: number | null;
  /** The default artifact directory's stimulus ("concurrency_sweep"), or null: the run's own default. */
  stimulus: string | null;
}

export interface CapacitySearchSpec {
  kind: "search";
  recipe: "max-concurrency-under-sla" | "max-request-rate-under-sla";
  /** The flag the search sets. */
  flag: "concurrency" | "request-rate";
  lo: number;
  hi: number;
  maxProbes: number;
  precision: number;
  /** A probe passes when at least this share of its requests meets every SLO. */
  target: number;
  /** The SLOs in --goodput syntax (--goodput values plus the --*-sla-ms ones). */
  goodput: string[];
  repeats: number;
  probeCooldownSec: number;
  runCooldownSec: number;
  confidence: number;
  gpus: number | null;
  stimulus: string;
}

export type MultiRunSpec = { kind: "single" } | SweepSpec | CapacitySearchSpec;

const SWEEP_ONLY = ["sweepType", "parameterSweepSameSeed"];
const REPEAT_ONLY = ["profileRunCooldownSeconds", "confidenceLevel", "profileRunDisableWarmupAfterFirst", "setConsistentSeed", "varySeedPerTrial"];
const SEARCH_ONLY = ["searchStyle", "searchMaxIterations", "sloAttainmentFraction", "ttftSlaMs", "itlSlaMs", "e2eSlaMs"];
const CONCURRENCY_BOUNDS = ["concurrencyMin", "concurrencyMax"];
const RATE_BOUNDS = ["requestRateMin", "requestRateMax"];

const flagName = (camel: string): string => `--${camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The SLA flags as --goodput entries (AIPerf's recipe flags; here each is a per-request SLO). */
function slaGoodput(f: SweepLevelFlags): string[] {
  const pairs: [number | undefined, string][] = [
    [f.ttftSlaMs, "time_to_first_token"],
    [f.itlSlaMs, "inter_token_latency"],
    [f.e2eSlaMs, "request_latency"],
  ];
  return pairs.filter(([v]) => v !== undefined).map(([v, tag]) => `${tag}:${v}`);
}

export function multiRunSpec(f: SweepLevelFlags, raw: Record<string, FlagValue>, given: ReadonlySet<string>): { spec: MultiRunSpec; problems: string[] } {
  const expansion = expandSweep(raw, f.sweepType);
  const problems = [...expansion.problems];
  const swept = expansion.axes.length > 0;
  const repeats = f.numProfileRuns;
  const search = f.searchRecipe;
  const has = (k: string) => given.has(k);
  const refuse = (keys: readonly string[], why: string) => {
    for (const k of keys) if (has(k)) problems.push(`${flagName(k)} ${why}`);
  };
  if (!swept) refuse(SWEEP_ONLY, "applies to a sweep: give a comma list, e.g. --concurrency 8,16,32");
  if (!swept && search === undefined) refuse(["parameterSweepCooldownSeconds"], "applies to a sweep or a --search-recipe");
  if (!swept || repeats === 1) refuse(["parameterSweepMode"], "orders a sweep's repeated runs: it needs a comma list and --num-profile-runs above 1");
  if (repeats === 1) refuse(REPEAT_ONLY, "applies when --num-profile-runs is above 1");
  if (search === undefined) refuse([...SEARCH_ONLY, ...CONCURRENCY_BOUNDS, ...RATE_BOUNDS], "applies to --search-recipe");
  if (!swept && repeats === 1 && search === undefined) {
    refuse(["gpus"], "applies to a sweep, repeats or a search (per-GPU throughput beside per-user speed)");
    return { spec: { kind: "single" }, problems };
  }
  const confidence = f.confidenceLevel;
  const gpus = f.gpus ?? null;
  if (search === undefined) {
    const steps = planSteps({
      pointDirs: expansion.points.map((p) => p.dirName),
      repeats,
      mode: f.parameterSweepMode,
      sweepCooldownSec: f.parameterSweepCooldownSeconds,
      runCooldownSec: f.profileRunCooldownSeconds,
      warmupFirstRunOnly: f.profileRunDisableWarmupAfterFirst,
      baseSeed: f.randomSeed,
      sameSeedAcrossPoints: f.parameterSweepSameSeed,
      varySeedPerRun: f.varySeedPerTrial || (!f.setConsistentSeed && !has("randomSeed")),
    });
    const stimulus = swept ? `${expansion.axes.map((a) => a.flag.replace(/-/g, "_")).join("_")}_sweep` : null;
    return { spec: { kind: "sweep", axes: expansion.axes, points: expansion.points, repeats, steps, confidence, gpus, stimulus }, problems };
  }

  // A capacity search sets one load flag itself.
  if (swept) problems.push(`--search-recipe sets the load itself; drop the comma list on ${expansion.axes.map((a) => `--${a.flag}`).join(", ")}`);
  const byConcurrency = search === "max-concurrency-under-sla";
  const flag = byConcurrency ? "concurrency" : "request-rate";
  if (byConcurrency) {
    if (has("concurrency"))
      problems.push("--search-recipe max-concurrency-under-sla sets --concurrency itself (between --concurrency-min and --concurrency-max)");
    if (has("requestRate")) problems.push("--search-recipe max-concurrency-under-sla searches closed-loop concurrency; drop --request-rate");
    refuse(RATE_BOUNDS, "applies to --search-recipe max-request-rate-under-sla");
  } else {
    if (has("requestRate"))
      problems.push("--search-recipe max-request-rate-under-sla sets --request-rate itself (between --request-rate-min and --request-rate-max)");
    refuse(CONCURRENCY_BOUNDS, "applies to --search-recipe max-concurrency-under-sla (with a rate search, --concurrency caps requests in flight)");
  }
  const [lo, hi] = byConcurrency ? [f.concurrencyMin, f.concurrencyMax] : [f.requestRateMin, f.requestRateMax];
  if (!(hi > lo)) problems.push(`--${flag}-max (${hi}) must be above --${flag}-min (${lo})`);
  if (!f.streaming)
    for (const k of ["ttftSlaMs", "itlSlaMs"])
      if (has(k)) problems.push(`${flagName(k)} needs --streaming (the first token and the gaps are only seen in a stream)`);
  const goodput = [...(Array.isArray(raw.goodput) ? raw.goodput : []), ...slaGoodput(f)];
  if (goodput.length === 0)
    problems.push(
      `--search-recipe ${search} needs SLOs: --goodput "time_to_first_token:200 inter_token_latency:20", or --ttft-sla-ms / --itl-sla-ms / --e2e-sla-ms`,
    );
  return {
    spec: {
      kind: "search",
      recipe: search,
      flag,
      lo,
      hi,
      maxProbes: f.searchMaxIterations,
      precision: SEARCH_PRECISION,
      target: f.sloAttainmentFraction,
      goodput,
      repeats,
      probeCooldownSec: f.parameterSweepCooldownSeconds,
      runCooldownSec: f.profileRunCooldownSeconds,
      confidence,
      gpus,
      stimulus: `${flag.replace(/-/g, "_")}_search`,
    },
    problems,
  };
}
