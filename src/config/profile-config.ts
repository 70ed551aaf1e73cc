// `llmbench profile`: validated flag values (see profile-flags.ts) -> the resolved run config.
// The config keeps every flag value under its flag's name; only values derived from several flags
// (URLs, the load of each phase, the request bound, ...) are added here, never copies or renames.
import { availableParallelism } from "node:os";
import { endpointUrl } from "../client/endpoint-url.ts";
import { ENDPOINT_INFO } from "../client/endpoint-types.ts";
import { endpointHeaders } from "../client/request-headers.ts";
import { templateProblems } from "../client/template-body.ts";
import { isSecretHeader } from "../client/request-secrets.ts";
import { splitUrlCredentials } from "../client/url-credentials.ts";
import type { ArrivalPattern } from "../schedule/arrivals.ts";
import { applyDefaults, camelCase, type FlagValue } from "./flag-spec.ts";
import { PROFILE_FLAGS, profileSchema, type ProfileFlags } from "./profile-flags.ts";
import { schemaProblems, toCamelKeys } from "./validate.ts";
import { parseExtraInputs, parseHeaders, parsePercentiles } from "./value-parsers.ts";
import { ark } from "./ark.ts";
import { defaultArtifactDir } from "./artifact-name.ts";
import { resolveShard, runGroupId, shardShareProblems, type Env } from "./shard-config.ts";

export type { ProfileFlags } from "./profile-flags.ts";
export { defaultArtifactDir } from "./artifact-name.ts";
export { coerceValue, parseExtraInputs, parseHeaders, parsePercentiles } from "./value-parsers.ts";

/** How requests are paced in one phase (warmup or profiling). */
export type LoadSpec =
  /** Closed loop: `concurrency` lanes, each sending its next request when the last finished. */
  | { kind: "concurrency"; concurrency: number; rampNs: number }
  /** Open loop: arrivals at `ratePerSec`; `cap` bounds requests in flight (late ones queue). */
  | { kind: "rate"; ratePerSec: number; pattern: ArrivalPattern; smoothness: number; rampNs: number; cap: number | null }
  /** Trace timestamps (ms), replayed `speedup` times as fast. */
  | { kind: "fixed"; autoOffset: boolean; startOffsetMs: number | null; endOffsetMs: number | null; speedup: number; cap: number | null }
  /** AIPerf's user-centric rate: `numUsers` users share `ratePerSec`, each user's turns numUsers / ratePerSec apart (schedule/user-centric.ts). */
  | { kind: "user_centric"; ratePerSec: number; numUsers: number; cap: number | null };

/** Flag values replaced by their resolved form in the config. */
type Resolved =
  | "model"
  | "extraInputs"
  | "concurrency"
  | "requestCount"
  | "artifactDir"
  | "ui"
  | "workers"
  | "transport"
  | "tokenizer"
  | "customDatasetType"
  | "goodput"
  | "shardIndex"
  | "shardCount"
  | "exportLevel";

export interface ProfileConfig extends Omit<ProfileFlags, Resolved> {
  /** The first of `models`: names the run (artifact directory, tokenizer default). */
  model: string;
  /** --model's names (a comma list or the flag repeated), or the server's only model (asked before the config is resolved). */
  models: string[];
  /** Files written (raw is refused before a config exists). */
  exportLevel: "summary" | "records";
  /** Full request URLs (base + endpoint path), used round-robin. */
  urls: string[];
  /** -H headers, lower-case names (authorization added from --api-key). */
  headers: Record<string, string>;
  extraInputs: Record<string, unknown>;
  /** --percentiles as numbers. */
  extraPercentiles: number[];
  customDatasetType: "single_turn" | "multi_turn" | "random_pool" | "mooncake_trace";
  /** Most requests expected in flight at once (lanes or cap), or null when open loop has no cap. */
  concurrency: number | null;
  load: LoadSpec;
  warmupLoad: LoadSpec;
  /** --request-cancellation-rate > 0: which requests are cancelled and when, else null. */
  cancellation: { ratePct: number; delaySec: number } | null;
  /** Request limit of the profiling phase (a large number when time or the dataset bounds it). */
  requestCount: number;
  /** Send every dataset session once, through all its turns, and stop (an --input-file without a bound). */
  onePass: boolean;
  artifactDir: string;
  ui: "dashboard" | "simple" | "none";
  workers: number;
  transport: "http1" | "fetch";
  /** A model id, a path, or "builtin" (the CLI turns a hub id into a local directory). */
  tokenizer: string;
  goodput: string[];
  /** --shard-index / --shard-count, or their defaults from the environment (config/shard-config.ts). */
  shardIndex: number;
  shardCount: number;
  /** --start-at as epoch ns, or null. */
  startAtNs: number | null;
  /** Shared by the shards of one run (a hash of the flags they share); `merge` checks it. */
  runGroup: string;
}

/** AIPerf's default request count: max(10, 2 x concurrency). */
export function defaultRequestCount(concurrency: number): number {
  return Math.max(10, 2 * concurrency);
}

/** AIPerf's default request count in request-rate mode (MIN_REQUEST_COUNT). */
export const RATE_MODE_DEFAULT_REQUEST_COUNT = 10;

/** A request bound that never binds (time or the dataset ends the phase). */
export const NO_REQUEST_LIMIT = 2 ** 31 - 1;

/** Python's str(float): 10 -> "10.0", 2.5 -> "2.5". */
function pyFloatStr(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

function stimulusName(load: LoadSpec): string {
  if (load.kind === "fixed") return "fixed_schedule";
  if (load.kind === "concurrency") return `concurrency${load.concurrency}`;
  if (load.kind === "user_centric") return `user_centric-users${load.numUsers}-qps${pyFloatStr(load.ratePerSec)}`;
  const rate = `request_rate${pyFloatStr(load.ratePerSec)}`;
  return load.cap === null ? rate : `concurrency${load.cap}-${rate}`;
}

/** AIPerf: min(concurrency, cores * 0.75 - 1), at least 1, at most 32. */
export function defaultWorkers(concurrency: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(concurrency, Math.floor(cores * 0.75 - 1), 32));
}

/**
 * Profile flag values from raw values as typed on a command line (kebab-case keys; strings, booleans,
 * string lists), defaults filled in from the flag table. For callers that are not argv: demo, tests.
 */
export function parseProfileFlags(raw: Record<string, FlagValue>): { flags: ProfileFlags; given: Set<string>; problems: string[] } {
  const out = profileSchema()(toCamelKeys(applyDefaults(raw, PROFILE_FLAGS)));
  const given = new Set(Object.keys(raw).map(camelCase));
  if (out instanceof ark().type.errors) return { flags: {} as ProfileFlags, given, problems: schemaProblems(out, PROFILE_FLAGS) };
  return { flags: out, given, problems: [] };
}

export interface ResolveContext {
  /** camelCase names of the flags the user gave (the others hold their defaults). */
  given: ReadonlySet<string>;
  stderrIsTTY: boolean;
  cores?: number;
  /** The --input-file is a mooncake_trace whose first entry has a timestamp (AIPerf then replays it on schedule). */
  traceHasTimestamps?: boolean;
  /** The environment, for the shard defaults an Indexed Job sets (none when absent). */
  env?: Env;
}

const s2ns = (s: number): number => Math.round(s * 1e9);

/** Flags that need others: [flag set?, problem]. */
function dependencyProblems(f: ProfileFlags, given: ReadonlySet<string>, fixed: boolean): string[] {
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

/** The load of the profiling phase and of the warmup phase. */
function resolveLoads(f: ProfileFlags, given: ReadonlySet<string>, fixed: boolean, problems: string[]): { load: LoadSpec; warmupLoad: LoadSpec } {
  const pattern = (p: ProfileFlags["arrivalPattern"], flag: string): ArrivalPattern => {
    if (p === "concurrency_burst") {
      problems.push(`${flag} concurrency_burst is only for --concurrency without a rate; use poisson, constant or gamma with a rate`);
      return "poisson";
    }
    // --arrival-smoothness alone implies gamma (its only use).
    return p ?? (given.has("arrivalSmoothness") ? "gamma" : "poisson");
  };
  let load: LoadSpec;
  if (fixed) {
    load = {
      kind: "fixed",
      autoOffset: f.fixedScheduleAutoOffset,
      startOffsetMs: f.fixedScheduleStartOffset ?? null,
      endOffsetMs: f.fixedScheduleEndOffset ?? null,
      speedup: f.traceSpeedup,
      cap: f.concurrency ?? null,
    };
  } else if (f.userCentricRate !== undefined) {
    load = { kind: "user_centric", ratePerSec: f.userCentricRate, numUsers: f.numUsers ?? 1, cap: f.concurrency ?? null };
  } else if (f.requestRate !== undefined) {
    load = {
      kind: "rate",
      ratePerSec: f.requestRate,
      pattern: pattern(f.arrivalPattern, "--arrival-pattern"),
      smoothness: f.arrivalSmoothness,
      rampNs: s2ns(f.requestRateRampDuration),
      cap: f.concurrency ?? null,
    };
  } else {
    if (f.arrivalPattern !== undefined && f.arrivalPattern !== "concurrency_burst") problems.push(`--arrival-pattern ${f.arrivalPattern} needs --request-rate`);
    load = { kind: "concurrency", concurrency: f.concurrency ?? 1, rampNs: s2ns(f.concurrencyRampDuration) };
  }
  const concurrency = load.kind === "concurrency" ? load.concurrency : load.cap;
  let warmupLoad: LoadSpec;
  if (f.warmupRequestRate !== undefined) {
    warmupLoad = {
      kind: "rate",
      ratePerSec: f.warmupRequestRate,
      pattern: pattern(f.warmupArrivalPattern ?? (load.kind === "rate" ? load.pattern : undefined), "--warmup-arrival-pattern"),
      smoothness: f.arrivalSmoothness,
      rampNs: 0,
      cap: f.warmupConcurrency ?? null,
    };
  } else if (f.warmupConcurrency !== undefined || load.kind !== "rate") {
    warmupLoad = { kind: "concurrency", concurrency: f.warmupConcurrency ?? concurrency ?? 1, rampNs: 0 };
  } else {
    warmupLoad = { ...load, rampNs: 0 };
  }
  return { load, warmupLoad };
}

/** Cross-field checks and derived values; returns the problems found alongside the config. */
export function resolveProfileConfig(f: ProfileFlags, ctx: ResolveContext): { config: ProfileConfig; problems: string[]; notes: string[] } {
  const problems: string[] = [];
  const notes: string[] = [];
  if (f.model === undefined) problems.push("--model is required with --no-preflight (the pre-flight takes the server's only model)");
  const models = f.model ?? [];
  // The first model names the run (artifact directory, tokenizer default), as AIPerf's model_names[0].
  const model = models[0] ?? "";
  const headers = parseHeaders(f.header ?? [], problems);
  Object.assign(headers, endpointHeaders(f.endpointType, f.apiKey, headers));
  const extraInputs = parseExtraInputs(f.extraInputs ?? [], problems);
  if (f.endpointType === "template") problems.push(...templateProblems(extraInputs, model));
  const extraPercentiles = parsePercentiles(f.percentiles ?? [], problems);
  const targets = f.url.map((u) => endpointUrl(u, f.endpointType, f.endpoint, f.streaming));
  for (const t of targets) {
    if (t.problem !== null) problems.push(t.problem);
    if (t.note !== null) notes.push(t.note);
  }
  const urls = targets.map((t) => t.url);
  const customDatasetType = f.customDatasetType ?? "single_turn";
  const fixed =
    f.fixedSchedule === true ||
    // AIPerf turns the schedule on for a mooncake trace with timestamps (then --concurrency is a cap).
    (f.fixedSchedule === undefined && f.requestRate === undefined && customDatasetType === "mooncake_trace" && ctx.traceHasTimestamps === true);
  problems.push(...dependencyProblems(f, ctx.given, fixed));
  const { load, warmupLoad } = resolveLoads(f, ctx.given, fixed, problems);
  const concurrency = load.kind === "concurrency" ? load.concurrency : load.cap;

  const shard = resolveShard(f, ctx.env ?? {}, problems);
  problems.push(
    ...shardShareProblems(shard.shardCount, [
      [load.kind === "concurrency" ? "--concurrency" : "--concurrency (the in-flight cap)", concurrency],
      ["--prefill-concurrency", f.prefillConcurrency],
      ["--request-count", f.requestCount],
      ["--warmup-concurrency", f.warmupConcurrency],
    ]),
  );
  const defaultCount = load.kind === "rate" || load.kind === "user_centric" ? RATE_MODE_DEFAULT_REQUEST_COUNT : defaultRequestCount(concurrency ?? 1);
  // An --input-file without a bound is sent once through, every session through all its turns (as AIPerf
  // sends a mooncake trace); an explicit count or a duration wins.
  // A public dataset is sampled like synthetic prompts (AIPerf's request count), even from a local copy; every
  // session of --conversation-num is sent once through (AIPerf: that many conversations are sent).
  const onePass =
    ((f.inputFile !== undefined && f.publicDataset === undefined) || f.conversationNum !== undefined) &&
    f.requestCount === undefined &&
    f.benchmarkDuration === undefined;
  if (f.conversationNum !== undefined && ctx.given.has("numDatasetEntries")) {
    notes.push(`--num-dataset-entries is not used: --conversation-num ${f.conversationNum} builds that many sessions`);
  }
  // With both --request-count and --benchmark-duration, whichever is reached first ends the run (AIPerf).
  const unbounded = f.requestCount === undefined && (f.benchmarkDuration !== undefined || fixed || onePass);
  const config: ProfileConfig = {
    ...f,
    model,
    urls,
    headers,
    extraInputs,
    extraPercentiles,
    customDatasetType,
    concurrency,
    // --conversation-num sessions are built, each sent once.
    numDatasetEntries: f.conversationNum ?? f.numDatasetEntries,
    load,
    warmupLoad,
    cancellation: f.requestCancellationRate > 0 ? { ratePct: f.requestCancellationRate, delaySec: f.requestCancellationDelay } : null,
    requestCount: unbounded ? NO_REQUEST_LIMIT : (f.requestCount ?? defaultCount),
    onePass,
    // AIPerf names a run of several models after the first, with "_multi".
    artifactDir: f.artifactDir ?? defaultArtifactDir(models.length > 1 ? `${model}_multi` : model, f.endpointType, stimulusName(load)),
    ui: f.ui === "auto" ? (ctx.stderrIsTTY ? "dashboard" : "simple") : f.ui,
    workers: f.workers ?? defaultWorkers(concurrency ?? 1, ctx.cores),
    transport: f.transport === "fetch" ? "fetch" : "http1",
    // AIPerf: the tokenizer defaults to the model name (a Hugging Face id).
    tokenizer: f.tokenizer ?? model,
    goodput: f.goodput ?? [],
    exportLevel: f.exportLevel === "summary" ? "summary" : "records",
    ...shard,
    models,
    runGroup: runGroupId({ ...f, model: models.join(","), shardCount: shard.shardCount }),
  };
  return { config, problems, notes };
}

/** Config as stored in artifacts: the API key, credential headers and URL credentials (user:pass@) removed. */
export function redactedConfig(c: ProfileConfig): Record<string, unknown> {
  const headers = Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, isSecretHeader(k) ? "<redacted>" : v]));
  const urls = c.urls.map((u) => splitUrlCredentials(u).url);
  const url = c.url.map((u) => splitUrlCredentials(u).url);
  // Raw -H values may carry credentials in any form; the parsed headers above are what was sent.
  return { ...c, url, urls, headers, header: c.header === undefined ? undefined : "<redacted>", apiKey: c.apiKey === undefined ? undefined : "<redacted>" };
}
