// `llmbench profile`: validated flag values (see profile-flags.ts) -> the resolved run config.
// The config keeps every flag value under its flag's name; only values derived from several flags
// (URLs, the load of each phase, the request bound, ...) are added here, never copies or renames.
import { availableParallelism } from "node:os";
import { endpointUrl } from "../client/endpoint-url.ts";
import { endpointHeaders } from "../client/request-headers.ts";
import { templateProblems } from "../client/template-body.ts";
import { isSecretHeader } from "../client/request-secrets.ts";
import { splitUrlCredentials } from "../client/url-credentials.ts";
import { applyDefaults, camelCase, type FlagValue } from "./flag-spec.ts";
import { PROFILE_FLAGS, profileSchema, type ProfileFlags } from "./profile-flags.ts";
import { schemaProblems, toCamelKeys } from "./validate.ts";
import { parseExtraInputs, parseHeaders, parsePercentiles } from "./value-parsers.ts";
import { ark } from "./ark.ts";
import { defaultArtifactDir } from "./artifact-name.ts";
import { dependencyProblems } from "./flag-dependencies.ts";
import { resolveLoads, stimulusName, type LoadSpec } from "./load-spec.ts";
import { resolveShard, runGroupId, shardShareProblems, type Env } from "./shard-config.ts";

export type { ProfileFlags } from "./profile-flags.ts";
export { defaultArtifactDir } from "./artifact-name.ts";
export { coerceValue, parseExtraInputs, parseHeaders, parsePercentiles } from "./value-parsers.ts";

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
