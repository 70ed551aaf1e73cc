// `profile` with comma lists, --num-profile-runs or --search-recipe: every check first (the flags as a
// whole, then each point's run as a single run would be checked, offline), then the sweep or the
// search in one directory, each run a normal run directory below it.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import type { FlagValue } from "../config/flag-spec.ts";
import { defaultArtifactDir, resolveProfileConfig } from "../config/profile-config.ts";
import type { SweepLevelFlags } from "../config/sweep-axes.ts";
import { createLogger, type Io } from "../runtime/io.ts";
import { UsageError } from "../runtime/usage-error.ts";
import { artifactDirProblem, RUN_MARKERS } from "./artifact-dir.ts";
import { type CapacitySearchSpec, multiRunSpec, type SweepSpec } from "./multi-run-spec.ts";
import { pointFlags, stepRaw } from "./point-run.ts";
import { prepareProfile, resolveChecked, serverModel } from "./prepare.ts";
import { runProfile } from "./profile-run.ts";
import { runSearch } from "./search-runner.ts";
import { runSweep } from "./sweep-runner.ts";

export interface MultiRunInput {
  /** Raw flag values (kebab-case), defaults filled in. */
  values: Record<string, FlagValue>;
  given: ReadonlySet<string>;
  io: Io;
}

/** A directory holding an earlier sweep or search may be replaced with --overwrite, as a run's may. */
const SWEEP_MARKERS = [...RUN_MARKERS, "sweep_summary.json", "search_summary.json"];

/** The values each run is checked with before any runs: a sweep's every run; a search's lowest and highest probe. */
function checkedValues(spec: SweepSpec | CapacitySearchSpec): { values: Record<string, string>; dir: string; seed?: number; warmup: boolean }[] {
  if (spec.kind === "search") return [spec.lo, spec.hi].map((v) => ({ values: { [spec.flag]: String(v) }, dir: `probe_${spec.flag}_${v}`, warmup: true }));
  return spec.steps.map((s) => ({ values: spec.points[s.point]!.values, dir: s.dir, seed: s.seed, warmup: s.warmup }));
}

/** The raw values every run starts from (a search adds its SLOs to --goodput). */
const runBase = (spec: SweepSpec | CapacitySearchSpec, raw: Record<string, FlagValue>): Record<string, FlagValue> =>
  spec.kind === "search" ? { ...raw, goodput: spec.goodput } : raw;

/** Every problem of every run, once each (a problem every run has is said once, without a run's name). */
function checkRuns(spec: SweepSpec | CapacitySearchSpec, raw: Record<string, FlagValue>, dir: string, input: MultiRunInput): string[] {
  const byRun: string[][] = [];
  for (const c of checkedValues(spec)) {
    const r = stepRaw(runBase(spec, raw), { ...c, dir: join(dir, c.dir), overwrite: true });
    try {
      resolveChecked(pointFlags(r), { io: input.io, given: input.given });
      byRun.push([]);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      const label = Object.entries(c.values)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
      byRun.push(e.problems.map((p) => `${label}: ${p}`));
    }
  }
  const all = byRun.flat();
  const strip = (p: string) => p.slice(p.indexOf(": ") + 2);
  const everywhere = new Set([...new Set(all.map(strip))].filter((p) => byRun.every((list) => list.some((q) => strip(q) === p))));
  return [...new Set(all.map((p) => (everywhere.has(strip(p)) ? strip(p) : p)))];
}

export async function runMultiProfile(flags: SweepLevelFlags, input: MultiRunInput): Promise<number> {
  const { io, given } = input;
  const { spec, problems } = multiRunSpec(flags, input.values, given);
  if (problems.length > 0) throw new UsageError(problems);
  if (spec.kind === "single") return runProfile(await prepareProfile(pointFlags(input.values), { io, given }), io);
  const log = createLogger(io);
  const raw: Record<string, FlagValue> = { ...input.values };
  const first = checkedValues(spec)[0]!;
  // Checked before the sweep's directory is known: a directory that does not exist (never created).
  const firstRaw = () => stepRaw(runBase(spec, raw), { ...first, dir: join(io.cwd, `.llmbench-check-${crypto.randomUUID()}`) });
  // The model: given, or asked of the server once for all the runs.
  if (raw.model === undefined) raw.model = await serverModel(pointFlags(firstRaw()), { io, given }, log);
  const endpointType = String(raw["endpoint-type"]);
  const named = typeof raw["artifact-dir"] === "string" ? raw["artifact-dir"] : undefined;
  // Repeats alone keep the run's own default name; a sweep or search names what it varies.
  const fallback = () => {
    const r = firstRaw();
    delete r["artifact-dir"];
    const f = pointFlags(r);
    return resolveProfileConfig(f, { given, stderrIsTTY: io.stderrIsTTY }).config.artifactDir;
  };
  const dir = resolve(io.cwd, named ?? (spec.stimulus === null ? fallback() : defaultArtifactDir(String(raw.model), endpointType, spec.stimulus)));
  const overwrite = raw.overwrite === true;
  const all = [artifactDirProblem(dir, overwrite, SWEEP_MARKERS), ...checkRuns(spec, raw, dir, input)].filter((p): p is string => p !== null);
  if (all.length > 0) throw new UsageError(all);
  if (overwrite && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const ctx = { raw, given, io, log, dir };
  return spec.kind === "sweep" ? runSweep(spec, ctx) : runSearch(spec, ctx);
}
