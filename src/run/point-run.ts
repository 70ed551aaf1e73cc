// One run of a sweep or search: its raw flag values (the point's values, its directory and seed)
// validated like the command line's, prepared and executed as a normal run. Also the Ctrl-C watch
// that spans the whole sweep: the run in progress handles its own interrupt; between runs the sweep
// stops, and a second Ctrl-C leaves at once.
import { writeFileSync, renameSync } from "node:fs";
import type { FlagValue } from "../config/flag-spec.ts";
import { PROFILE_FLAGS, type ProfileFlags, profileSchema } from "../config/profile-flags.ts";
import { ark } from "../config/ark.ts";
import { schemaProblems, toCamelKeys } from "../config/validate.ts";
import type { Io } from "../runtime/io.ts";
import { UsageError } from "../runtime/usage-error.ts";
import { exitCode } from "./exit-code.ts";
import { prepareProfile, type PreparedProfile } from "./prepare.ts";
import { executeProfile, type ExecuteOptions, type ProfileOutcome } from "./profile-run.ts";
import type { RunStatus } from "./sweep-summary.ts";

/** Warmup flags a run without warmup drops (their dependencies would otherwise complain). */
const WARMUP_FLAGS = ["warmup-duration", "warmup-concurrency", "warmup-request-rate", "warmup-arrival-pattern"];

/** The raw values of one run: the base values with the point's, its own directory and seed. */
export function stepRaw(
  base: Record<string, FlagValue>,
  o: { values: Record<string, string>; dir: string; seed?: number; warmup: boolean; overwrite?: boolean },
): Record<string, FlagValue> {
  const raw: Record<string, FlagValue> = { ...base, ...o.values, "artifact-dir": o.dir, overwrite: o.overwrite ?? false };
  if (o.seed !== undefined) raw["random-seed"] = String(o.seed);
  if (!o.warmup) {
    raw["warmup-request-count"] = "0";
    for (const k of WARMUP_FLAGS) delete raw[k];
  }
  return raw;
}

/** Raw values -> profile flags, through the flag table's schema (every problem at once, exit 2). */
export function pointFlags(raw: Record<string, FlagValue>): ProfileFlags {
  const out = profileSchema()(toCamelKeys(raw));
  if (out instanceof ark().type.errors) throw new UsageError(schemaProblems(out, PROFILE_FLAGS));
  return out;
}

export interface StepRun {
  prepared: PreparedProfile;
  outcome: ProfileOutcome;
  exitCode: number;
  status: RunStatus;
}

export async function runStep(raw: Record<string, FlagValue>, given: ReadonlySet<string>, io: Io, opts: ExecuteOptions): Promise<StepRun> {
  const prepared = await prepareProfile(pointFlags(raw), { io, given });
  const outcome = await executeProfile(prepared, io, opts);
  const code = exitCode({
    counts: outcome.results.counts,
    interrupted: outcome.interrupted,
    abortedOnFailures: outcome.abortedOnFailures,
    storageFailed: outcome.storageFailure !== null,
    threshold: prepared.config.failedRequestThreshold,
  });
  const status: RunStatus =
    outcome.storageFailure !== null
      ? "storage_failure"
      : outcome.interrupted
        ? "cancelled"
        : outcome.abortedOnFailures
          ? "aborted"
          : code === 0
            ? "ok"
            : "failed";
  return { prepared, outcome, exitCode: code, status };
}

/** Ctrl-C / SIGTERM over a whole sweep: the first stops it after the current run, a second exits now. */
export class StopSignal {
  requested = false;
  private wake: (() => void) | null = null;
  private readonly remove: () => void;

  constructor(io: Io) {
    this.remove = io.onSignal(() => {
      if (this.requested) return io.exit(130);
      this.requested = true;
      this.wake?.();
    });
  }

  /** Waits `ms`, or less when a stop is asked for. */
  async sleep(ms: number): Promise<void> {
    if (this.requested || ms <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = null;
  }

  dispose(): void {
    this.remove();
  }
}

/** Writes the whole file or leaves the old one (a summary rewritten after every run). */
export function writeWhole(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
