// `llmbench profile` configuration: AIPerf flag names, validated all at once.
// Defaults live in the command's flag table (shown by --help) and are filled in before validation.
import { type } from "arktype";
import { availableParallelism } from "node:os";
import { baseUrl, nonNegativeInt, nonNegativeNumber, percent, positiveInt, positiveNumber } from "./common-types.ts";
import { DEFAULT_ENDPOINT_PATH, type EndpointType } from "../client/request-body.ts";
import type { ArrivalPattern } from "../schedule/arrivals.ts";
import type { CustomDatasetType } from "../dataset/input-file.ts";
import type { SamplingStrategy } from "../dataset/plan-types.ts";

export const profileSchema = type({
  url: baseUrl.array().atLeastLength(1),
  model: "string > 0",
  endpointType: "'chat' | 'completions' | 'embeddings'",
  "endpoint?": "string > 0",
  streaming: "boolean",
  "apiKey?": "string > 0",
  "header?": "string[]",
  "extraInputs?": "string[]",
  requestTimeoutSeconds: positiveNumber,
  "tokenizer?": "string > 0",
  tokenizerRevision: "string > 0",
  "concurrency?": positiveInt,
  "requestRate?": positiveNumber,
  "arrivalPattern?": "'poisson' | 'constant' | 'gamma' | 'concurrency_burst'",
  "arrivalSmoothness?": positiveNumber,
  "prefillConcurrency?": positiveInt,
  "concurrencyRampDuration?": nonNegativeNumber,
  "requestRateRampDuration?": nonNegativeNumber,
  "warmupConcurrency?": positiveInt,
  "warmupRequestRate?": positiveNumber,
  "warmupArrivalPattern?": "'poisson' | 'constant' | 'gamma' | 'concurrency_burst'",
  "requestCancellationRate?": percent,
  "requestCancellationDelay?": nonNegativeNumber,
  "inputFile?": "string > 0",
  "customDatasetType?": "'single_turn' | 'multi_turn' | 'random_pool' | 'mooncake_trace'",
  "fixedSchedule?": "boolean",
  "fixedScheduleAutoOffset?": "boolean",
  "fixedScheduleStartOffset?": nonNegativeInt,
  "fixedScheduleEndOffset?": nonNegativeInt,
  "traceSpeedup?": positiveNumber,
  "islStddev?": nonNegativeNumber,
  "oslStddev?": nonNegativeNumber,
  "seqDist?": "string > 0",
  "numPrefixPrompts?": nonNegativeInt,
  "prefixPromptLength?": nonNegativeInt,
  "sharedSystemPromptLength?": nonNegativeInt,
  "islBlockSize?": positiveInt,
  "datasetSamplingStrategy?": "'sequential' | 'random' | 'shuffle'",
  "conversationTurnMean?": positiveInt,
  "conversationTurnStddev?": nonNegativeNumber,
  "conversationTurnDelayMean?": nonNegativeNumber,
  "conversationTurnDelayStddev?": nonNegativeNumber,
  "conversationTurnDelayRatio?": nonNegativeNumber,
  "requestCount?": positiveInt,
  "benchmarkDuration?": positiveNumber,
  benchmarkGracePeriod: nonNegativeNumber,
  warmupRequestCount: nonNegativeInt,
  "warmupDuration?": positiveNumber,
  isl: positiveInt,
  "osl?": positiveInt,
  randomSeed: nonNegativeInt,
  numDatasetEntries: positiveInt,
  "artifactDir?": "string > 0",
  "goodput?": "string[]",
  "percentiles?": "string[]",
  ui: "'simple' | 'none' | 'dashboard' | 'auto'",
  "workers?": positiveInt,
  transport: "'http' | 'http1' | 'fetch'",
  insecure: "boolean",
  "failedRequestThreshold?": type("string.numeric.parse").pipe(type("0 <= number <= 1")),
  "sliceDuration?": positiveNumber,
});

export type ProfileFlags = typeof profileSchema.infer;

/** How requests are paced in one phase (warmup or profiling). */
export type LoadSpec =
  /** Closed loop: `concurrency` lanes, each sending its next request when the last finished. */
  | { kind: "concurrency"; concurrency: number; rampNs: number }
  /** Open loop: arrivals at `ratePerSec`; `cap` bounds requests in flight (late ones queue). */
  | { kind: "rate"; ratePerSec: number; pattern: ArrivalPattern; smoothness: number; rampNs: number; cap: number | null }
  /** Trace timestamps (ms), replayed `speedup` times as fast. */
  | { kind: "fixed"; autoOffset: boolean; startOffsetMs: number | null; endOffsetMs: number | null; speedup: number; cap: number | null };

export interface DatasetConfig {
  inputFile: string | null;
  customDatasetType: CustomDatasetType;
  islStddev: number;
  oslStddev: number;
  seqDist: string | null;
  numPrefixPrompts: number;
  prefixPromptLength: number;
  sharedSystemPromptLength: number;
  blockSize: number;
  /** --dataset-sampling-strategy, or null for the dataset's own (files in order, random_pool at random). */
  samplingStrategy: SamplingStrategy | null;
  /** Synthetic multi-turn sessions: turns per session and the delay (ms) before each later turn. */
  turnMean: number;
  turnStddev: number;
  turnDelayMeanMs: number;
  turnDelayStddevMs: number;
  turnDelayRatio: number;
}

export interface ProfileConfig {
  /** Full request URLs (base + endpoint path), used round-robin. */
  urls: string[];
  model: string;
  endpointType: EndpointType;
  streaming: boolean;
  /** Extra request headers, lower-case names (authorization added from --api-key). */
  headers: Record<string, string>;
  extraInputs: Record<string, unknown>;
  requestTimeoutMs: number;
  tokenizer: string;
  /** Most requests expected in flight at once (lanes or cap), or null when open loop has no cap. */
  concurrency: number | null;
  load: LoadSpec;
  warmupLoad: LoadSpec;
  /** Cap on requests still waiting for their first token (--prefill-concurrency), or null. */
  prefillConcurrency: number | null;
  /** --request-cancellation-rate (percent) and --request-cancellation-delay (s), or null. */
  cancellation: { ratePct: number; delaySec: number } | null;
  dataset: DatasetConfig;
  /** Request limit of the profiling phase; with --fixed-schedule the trace decides (every entry once). */
  requestCount: number;
  /** Send every dataset session once and stop (a mooncake trace without --request-count, as AIPerf). */
  onePass: boolean;
  /** Stop issuing after this long (ms), or null for count-bounded runs. */
  benchmarkDurationMs: number | null;
  gracePeriodMs: number;
  warmupRequestCount: number;
  /** --warmup-duration: a warmup phase bounded by time instead of a count (ms), or null. */
  warmupDurationMs: number | null;
  isl: number;
  osl: number | null;
  randomSeed: number;
  numDatasetEntries: number;
  artifactDir: string;
  goodput: string[];
  extraPercentiles: number[];
  ui: "simple" | "none";
  workers: number;
  transport: "http1" | "fetch";
  /** https: skip certificate verification. */
  insecure: boolean;
  /** Abort when more than this fraction of finished requests failed; null: never abort, any failure exits 1. */
  failedRequestThreshold: number | null;
  /** --slice-duration in ns, or null for no time slices. */
  sliceNs: number | null;
  apiKey: string | null;
}

/** AIPerf's default request count: max(10, 2 x concurrency). */
export function defaultRequestCount(concurrency: number): number {
  return Math.max(10, 2 * concurrency);
}

/** AIPerf's default request count in request-rate mode (MIN_REQUEST_COUNT). */
export const RATE_MODE_DEFAULT_REQUEST_COUNT = 10;

/**
 * AIPerf-style default: artifacts/<model>-openai-<endpoint>-<stimulus>, '/' in the model made '_';
 * stimulus "concurrency8", "request_rate10.0", "concurrency8-request_rate10.0" or "fixed_schedule".
 */
export function defaultArtifactDir(model: string, endpointType: string, stimulus: string): string {
  const safe = model.replace(/\//g, "_").replace(/[^A-Za-z0-9._:-]+/g, "_");
  return `artifacts/${safe}-openai-${endpointType}-${stimulus}`;
}

/** Python's str(float): 10 -> "10.0", 2.5 -> "2.5". */
function pyFloatStr(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

function stimulusName(load: LoadSpec): string {
  if (load.kind === "fixed") return "fixed_schedule";
  if (load.kind === "concurrency") return `concurrency${load.concurrency}`;
  const rate = `request_rate${pyFloatStr(load.ratePerSec)}`;
  return load.cap === null ? rate : `concurrency${load.cap}-${rate}`;
}

/** AIPerf: min(concurrency, cores * 0.75 - 1), at least 1, at most 32. */
export function defaultWorkers(concurrency: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(concurrency, Math.floor(cores * 0.75 - 1), 32));
}

/** `Name:Value` pairs or a JSON object (AIPerf's -H syntax). */
export function parseHeaders(items: string[], problems: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    for (const [k, v] of Object.entries(parsePairsOrJson(item, "--header", problems))) {
      if (/[\r\n]/.test(String(v)) || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(k)) {
        problems.push(`--header "${k}": not a valid header name or value`);
        continue;
      }
      out[k.toLowerCase()] = String(v);
    }
  }
  return out;
}

/** AIPerf's value coercion for --extra-inputs key:value pairs. */
export function coerceValue(v: string): unknown {
  const lower = v.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (lower === "none" || lower === "null") return null;
  if (/^-?\d+$/.test(v)) return Number(v);
  if (/^-?\d*\.\d+$|^-?\d+\.\d*$/.test(v)) return Number(v);
  return v;
}

function parsePairsOrJson(item: string, flag: string, problems: string[]): Record<string, unknown> {
  const t = item.trim();
  if (t.startsWith("{")) {
    try {
      const j = JSON.parse(t) as unknown;
      if (j && typeof j === "object" && !Array.isArray(j)) return j as Record<string, unknown>;
    } catch {
      // reported below
    }
    problems.push(`${flag} must be key:value or a JSON object (was ${JSON.stringify(item)})`);
    return {};
  }
  const colon = t.indexOf(":");
  if (colon <= 0) {
    problems.push(`${flag} must be key:value or a JSON object (was ${JSON.stringify(item)})`);
    return {};
  }
  return { [t.slice(0, colon).trim()]: coerceValue(t.slice(colon + 1).trim()) };
}

export function parseExtraInputs(items: string[], problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items) Object.assign(out, parsePairsOrJson(item, "--extra-inputs", problems));
  return out;
}

export function parsePercentiles(items: string[], problems: string[]): number[] {
  const out: number[] = [];
  for (const item of items) {
    for (const part of item.split(/[,\s]+/).filter(Boolean)) {
      const p = Number(part);
      if (!Number.isFinite(p) || p <= 0 || p >= 100) problems.push(`--percentiles must be numbers between 0 and 100 (was "${part}")`);
      else out.push(p);
    }
  }
  return out;
}

export interface ResolveContext {
  stderrIsTTY: boolean;
  cores?: number;
  /** The --input-file is a mooncake_trace whose first entry has a timestamp (AIPerf then replays it on schedule). */
  traceHasTimestamps?: boolean;
}

const s2ns = (s: number | undefined): number => Math.round((s ?? 0) * 1e9);

/** Cross-field checks and derived values; returns the problems found alongside the config. */
export function resolveProfileConfig(f: ProfileFlags, ctx: ResolveContext): { config: ProfileConfig; problems: string[] } {
  const problems: string[] = [];
  const headers = parseHeaders(f.header ?? [], problems);
  if (f.apiKey) headers.authorization = `Bearer ${f.apiKey}`;
  const extraInputs = parseExtraInputs(f.extraInputs ?? [], problems);
  const extraPercentiles = parsePercentiles(f.percentiles ?? [], problems);
  if (f.endpointType === "embeddings" && f.streaming) problems.push("--streaming is not available with --endpoint-type embeddings");
  if (f.requestCount !== undefined && f.benchmarkDuration !== undefined) {
    problems.push("--request-count and --benchmark-duration cannot be used together; pick one bound");
  }
  const path = f.endpoint ?? null;
  const urls = f.url.map((u) => joinUrl(u, path ?? DEFAULT_ENDPOINT_PATH[f.endpointType]));

  const datasetType = f.customDatasetType ?? (f.inputFile !== undefined ? "single_turn" : "single_turn");
  if (f.customDatasetType !== undefined && f.inputFile === undefined) problems.push("--custom-dataset-type needs --input-file");
  const fixed =
    f.fixedSchedule === true ||
    // AIPerf turns the schedule on for a mooncake trace with timestamps (then --concurrency is a cap).
    (f.fixedSchedule === undefined && f.requestRate === undefined && datasetType === "mooncake_trace" && ctx.traceHasTimestamps === true);
  if (fixed && f.inputFile === undefined) problems.push("--fixed-schedule needs --input-file with timestamps");
  if (fixed && f.requestRate !== undefined) problems.push("--fixed-schedule and --request-rate cannot be used together; the trace sets the times");
  if (!fixed) {
    for (const [set, flag] of [[f.fixedScheduleAutoOffset, "--fixed-schedule-auto-offset"], [f.fixedScheduleStartOffset, "--fixed-schedule-start-offset"], [f.fixedScheduleEndOffset, "--fixed-schedule-end-offset"], [f.traceSpeedup, "--trace-speedup"]] as const) {
      if (set !== undefined && set !== false) problems.push(`${flag} needs --fixed-schedule (and an --input-file with timestamps)`);
    }
  }
  if (f.fixedScheduleAutoOffset && f.fixedScheduleStartOffset !== undefined) {
    problems.push("--fixed-schedule-auto-offset and --fixed-schedule-start-offset cannot be used together");
  }
  if (f.fixedScheduleStartOffset !== undefined && f.fixedScheduleEndOffset !== undefined && f.fixedScheduleEndOffset < f.fixedScheduleStartOffset) {
    problems.push("--fixed-schedule-end-offset must not be before --fixed-schedule-start-offset");
  }

  const pattern = (p: ProfileFlags["arrivalPattern"], flag: string): ArrivalPattern => {
    if (p === "concurrency_burst") {
      problems.push(`${flag} concurrency_burst is only for --concurrency without a rate; use poisson, constant or gamma with a rate`);
      return "poisson";
    }
    // --arrival-smoothness alone implies gamma (its only use).
    return p ?? (f.arrivalSmoothness !== undefined ? "gamma" : "poisson");
  };
  if (f.arrivalSmoothness !== undefined && f.arrivalPattern !== undefined && f.arrivalPattern !== "gamma") {
    problems.push(`--arrival-smoothness shapes the gamma pattern only (got --arrival-pattern ${f.arrivalPattern})`);
  }
  if (f.requestRateRampDuration !== undefined && f.requestRate === undefined) problems.push("--request-rate-ramp-duration needs --request-rate");
  if (f.concurrencyRampDuration !== undefined && (f.concurrency === undefined || f.requestRate !== undefined || fixed)) {
    problems.push("--concurrency-ramp-duration needs --concurrency without --request-rate or a fixed schedule");
  }
  if (f.prefillConcurrency !== undefined && !f.streaming) problems.push("--prefill-concurrency needs --streaming (the first token ends the prefill)");
  if (f.requestCancellationDelay !== undefined && f.requestCancellationRate === undefined) {
    problems.push("--request-cancellation-delay needs --request-cancellation-rate");
  }

  let load: LoadSpec;
  if (fixed) {
    load = {
      kind: "fixed",
      autoOffset: f.fixedScheduleAutoOffset === true,
      startOffsetMs: f.fixedScheduleStartOffset ?? null,
      endOffsetMs: f.fixedScheduleEndOffset ?? null,
      speedup: f.traceSpeedup ?? 1,
      cap: f.concurrency ?? null,
    };
  } else if (f.requestRate !== undefined) {
    load = {
      kind: "rate",
      ratePerSec: f.requestRate,
      pattern: pattern(f.arrivalPattern, "--arrival-pattern"),
      smoothness: f.arrivalSmoothness ?? 1,
      rampNs: s2ns(f.requestRateRampDuration),
      cap: f.concurrency ?? null,
    };
  } else {
    if (f.arrivalPattern !== undefined && f.arrivalPattern !== "concurrency_burst") {
      problems.push(`--arrival-pattern ${f.arrivalPattern} needs --request-rate`);
    }
    load = { kind: "concurrency", concurrency: f.concurrency ?? 1, rampNs: s2ns(f.concurrencyRampDuration) };
  }
  const concurrency = load.kind === "concurrency" ? load.concurrency : load.cap;
  let warmupLoad: LoadSpec;
  if (f.warmupRequestRate !== undefined) {
    warmupLoad = {
      kind: "rate",
      ratePerSec: f.warmupRequestRate,
      pattern: pattern(f.warmupArrivalPattern ?? (load.kind === "rate" ? load.pattern : undefined), "--warmup-arrival-pattern"),
      smoothness: f.arrivalSmoothness ?? 1,
      rampNs: 0,
      cap: f.warmupConcurrency ?? null,
    };
  } else if (f.warmupConcurrency !== undefined || load.kind !== "rate") {
    warmupLoad = { kind: "concurrency", concurrency: f.warmupConcurrency ?? concurrency ?? 1, rampNs: 0 };
  } else {
    warmupLoad = { ...load, rampNs: 0 };
  }
  if ((f.warmupConcurrency !== undefined || f.warmupRequestRate !== undefined) && f.warmupRequestCount === 0 && f.warmupDuration === undefined) {
    problems.push("--warmup-concurrency / --warmup-request-rate need --warmup-request-count or --warmup-duration");
  }
  if (f.warmupDuration !== undefined && f.warmupRequestCount > 0) {
    problems.push("--warmup-request-count and --warmup-duration cannot be used together; pick one bound");
  }

  const defaultCount = load.kind === "rate" ? RATE_MODE_DEFAULT_REQUEST_COUNT : defaultRequestCount(concurrency ?? 1);
  // AIPerf sends a mooncake trace once, whatever --request-count says; here an explicit count still wins.
  const onePass = f.inputFile !== undefined && f.requestCount === undefined && f.benchmarkDuration === undefined;
  const config: ProfileConfig = {
    urls,
    model: f.model,
    endpointType: f.endpointType,
    streaming: f.streaming,
    headers,
    extraInputs,
    requestTimeoutMs: f.requestTimeoutSeconds * 1000,
    // AIPerf: the tokenizer defaults to the model name (a Hugging Face id).
    tokenizer: f.tokenizer ?? f.model,
    concurrency,
    load,
    warmupLoad,
    prefillConcurrency: f.prefillConcurrency ?? null,
    cancellation: f.requestCancellationRate !== undefined && f.requestCancellationRate > 0 ? { ratePct: f.requestCancellationRate, delaySec: f.requestCancellationDelay ?? 0 } : null,
    dataset: {
      inputFile: f.inputFile ?? null,
      customDatasetType: datasetType,
      islStddev: f.islStddev ?? 0,
      oslStddev: f.oslStddev ?? 0,
      seqDist: f.seqDist ?? null,
      numPrefixPrompts: f.numPrefixPrompts ?? 0,
      prefixPromptLength: f.prefixPromptLength ?? 0,
      sharedSystemPromptLength: f.sharedSystemPromptLength ?? 0,
      blockSize: f.islBlockSize ?? 512,
      samplingStrategy: f.datasetSamplingStrategy ?? null,
      turnMean: f.conversationTurnMean ?? 1,
      turnStddev: f.conversationTurnStddev ?? 0,
      turnDelayMeanMs: f.conversationTurnDelayMean ?? 0,
      turnDelayStddevMs: f.conversationTurnDelayStddev ?? 0,
      turnDelayRatio: f.conversationTurnDelayRatio ?? 1,
    },
    requestCount: f.benchmarkDuration !== undefined || ((fixed || onePass) && f.requestCount === undefined) ? 2 ** 31 - 1 : (f.requestCount ?? defaultCount),
    onePass,
    benchmarkDurationMs: f.benchmarkDuration !== undefined ? f.benchmarkDuration * 1000 : null,
    gracePeriodMs: f.benchmarkGracePeriod * 1000,
    warmupRequestCount: f.warmupRequestCount,
    warmupDurationMs: f.warmupDuration !== undefined ? f.warmupDuration * 1000 : null,
    isl: f.isl,
    osl: f.osl ?? null,
    randomSeed: f.randomSeed,
    numDatasetEntries: f.numDatasetEntries,
    artifactDir: f.artifactDir ?? defaultArtifactDir(f.model, f.endpointType, stimulusName(load)),
    goodput: f.goodput ?? [],
    extraPercentiles,
    ui: f.ui === "auto" ? (ctx.stderrIsTTY ? "simple" : "none") : f.ui === "dashboard" ? "simple" : f.ui,
    workers: f.workers ?? defaultWorkers(concurrency ?? 1, ctx.cores),
    transport: f.transport === "fetch" ? "fetch" : "http1",
    insecure: f.insecure,
    failedRequestThreshold: f.failedRequestThreshold ?? null,
    sliceNs: f.sliceDuration !== undefined ? Math.round(f.sliceDuration * 1e9) : null,
    apiKey: f.apiKey ?? null,
  };
  if (f.numPrefixPrompts !== undefined && f.numPrefixPrompts > 0 && !(f.prefixPromptLength !== undefined && f.prefixPromptLength > 0)) {
    problems.push("--num-prefix-prompts needs --prefix-prompt-length (tokens per prefix)");
  }
  if (f.inputFile !== undefined) {
    for (const [set, flag] of [[f.islStddev, "--isl-stddev"], [f.seqDist, "--seq-dist"], [f.numPrefixPrompts, "--num-prefix-prompts"], [f.conversationTurnMean, "--conversation-turn-mean"], [f.conversationTurnDelayMean, "--conversation-turn-delay-mean"]] as const) {
      if (set !== undefined) problems.push(`${flag} shapes synthetic prompts and cannot be used with --input-file`);
    }
  }
  return { config, problems };
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** Config as stored in artifacts: the API key and Authorization header replaced. */
export function redactedConfig(c: ProfileConfig): Record<string, unknown> {
  const headers = Object.fromEntries(
    Object.entries(c.headers).map(([k, v]) => [k, /^(authorization|api-key|x-api-key|proxy-authorization)$/i.test(k) ? "<redacted>" : v]),
  );
  return { ...c, headers, apiKey: c.apiKey === null ? null : "<redacted>" };
}
