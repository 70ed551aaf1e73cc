// Refusal rules of `llmbench profile`: flags that need, or exclude, other flags.
import { ENDPOINT_INFO } from "../client/endpoint-types.ts";
import type { ProfileFlags } from "./profile-flags.ts";

/** Flags that need others: [flag set?, problem]. */
export function dependencyProblems(f: ProfileFlags, given: ReadonlySet<string>, fixed: boolean): string[] {
  const has = (k: keyof ProfileFlags): boolean => given.has(k);
  const rules: [boolean, string][] = [
    [f.streaming && !ENDPOINT_INFO[f.endpointType].streams, `--streaming is not available with --endpoint-type ${f.endpointType}`],
    [has("customDatasetType") && f.inputFile === undefined, "--custom-dataset-type needs --input-file"],
    [
      f.exportLevel === "raw",
      "--export-level raw: AIPerf's raw export (every request and response body) is not supported by llmbench; use records (per-request metrics) or summary",
    ],
    [f.userCentricRate !== undefined && f.numUsers === undefined, "--user-centric-rate needs --num-users (the users that share the rate)"],
    [f.numUsers !== undefined && f.userCentricRate === undefined, "--num-users needs --user-centric-rate"],
    [f.userCentricRate !== undefined && f.requestRate !== undefined, "--user-centric-rate and --request-rate cannot be used together; pick one rate"],
    [f.userCentricRate !== undefined && fixed, "--user-centric-rate and --fixed-schedule cannot be used together; the trace sets the times"],
    [
      f.publicDataset !== undefined && has("customDatasetType"),
      "--public-dataset and --custom-dataset-type cannot be used together (an --input-file with --public-dataset is a local copy of it)",
    ],
    [fixed && f.inputFile === undefined, "--fixed-schedule needs --input-file with timestamps"],
    [fixed && f.publicDataset !== undefined, "--fixed-schedule cannot be used with --public-dataset (its conversations have no timestamps)"],
    [fixed && f.requestRate !== undefined, "--fixed-schedule and --request-rate cannot be used together; the trace sets the times"],
    [
      f.fixedScheduleAutoOffset && f.fixedScheduleStartOffset !== undefined,
      "--fixed-schedule-auto-offset and --fixed-schedule-start-offset cannot be used together",
    ],
    [
      f.fixedScheduleStartOffset !== undefined && f.fixedScheduleEndOffset !== undefined && f.fixedScheduleEndOffset < f.fixedScheduleStartOffset,
      "--fixed-schedule-end-offset must not be before --fixed-schedule-start-offset",
    ],
    [
      has("arrivalSmoothness") && f.arrivalPattern !== undefined && f.arrivalPattern !== "gamma",
      `--arrival-smoothness shapes the gamma pattern only (got --arrival-pattern ${f.arrivalPattern})`,
    ],
    [has("requestRateRampDuration") && f.requestRate === undefined, "--request-rate-ramp-duration needs --request-rate"],
    [
      has("concurrencyRampDuration") && (f.concurrency === undefined || f.requestRate !== undefined || fixed),
      "--concurrency-ramp-duration needs --concurrency without --request-rate or a fixed schedule",
    ],
    [f.prefillConcurrency !== undefined && !f.streaming, "--prefill-concurrency needs --streaming (the first token ends the prefill)"],
    [has("requestCancellationDelay") && !has("requestCancellationRate"), "--request-cancellation-delay needs --request-cancellation-rate"],
    [
      (f.warmupConcurrency !== undefined || f.warmupRequestRate !== undefined) && f.warmupRequestCount === 0 && f.warmupDuration === undefined,
      "--warmup-concurrency / --warmup-request-rate need --warmup-request-count or --warmup-duration",
    ],
    [f.warmupDuration !== undefined && f.warmupRequestCount > 0, "--warmup-request-count and --warmup-duration cannot be used together; pick one bound"],
    [f.numPrefixPrompts > 0 && f.prefixPromptLength === 0, "--num-prefix-prompts needs --prefix-prompt-length (tokens per prefix)"],
  ];
  const problems = rules.filter(([bad]) => bad).map(([, why]) => why);
  if (!fixed) {
    for (const k of ["fixedScheduleAutoOffset", "fixedScheduleStartOffset", "fixedScheduleEndOffset", "traceSpeedup"] as const) {
      if (has(k) && f[k] !== false) problems.push(`--${kebab(k)} needs --fixed-schedule (and an --input-file with timestamps)`);
    }
  }
  if (f.inputFile !== undefined || f.publicDataset !== undefined) {
    const source = f.publicDataset !== undefined ? "--public-dataset" : "--input-file";
    for (const k of ["islStddev", "seqDist", "numPrefixPrompts", "conversationTurnMean", "conversationTurnDelayMean"] as const) {
      if (has(k)) problems.push(`--${kebab(k)} shapes synthetic prompts and cannot be used with ${source}`);
    }
  }
  return problems;
}

const kebab = (k: string): string => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
