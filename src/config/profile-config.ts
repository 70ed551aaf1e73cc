// `llmbench profile` configuration: AIPerf flag names, validated all at once.
// Defaults live in the command's flag table (shown by --help) and are filled in before validation.
import { type } from "arktype";
import { availableParallelism } from "node:os";
import { baseUrl, nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber } from "./common-types.ts";
import { DEFAULT_ENDPOINT_PATH, type EndpointType } from "../client/request-body.ts";

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
  tokenizer: "string > 0",
  tokenizerRevision: "string > 0",
  concurrency: positiveInt,
  "requestCount?": positiveInt,
  "benchmarkDuration?": positiveNumber,
  benchmarkGracePeriod: nonNegativeNumber,
  warmupRequestCount: nonNegativeInt,
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
  concurrency: number;
  requestCount: number;
  /** Stop issuing after this long (ms), or null for count-bounded runs. */
  benchmarkDurationMs: number | null;
  gracePeriodMs: number;
  warmupRequestCount: number;
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

/** AIPerf-style default: artifacts/<model>-openai-<endpoint>-concurrency<N>, '/' in the model made '_'. */
export function defaultArtifactDir(model: string, endpointType: string, concurrency: number): string {
  const safe = model.replace(/\//g, "_").replace(/[^A-Za-z0-9._:-]+/g, "_");
  return `artifacts/${safe}-openai-${endpointType}-concurrency${concurrency}`;
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
}

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
  const config: ProfileConfig = {
    urls,
    model: f.model,
    endpointType: f.endpointType,
    streaming: f.streaming,
    headers,
    extraInputs,
    requestTimeoutMs: f.requestTimeoutSeconds * 1000,
    tokenizer: f.tokenizer,
    concurrency: f.concurrency,
    requestCount: f.benchmarkDuration !== undefined ? 2 ** 31 - 1 : (f.requestCount ?? defaultRequestCount(f.concurrency)),
    benchmarkDurationMs: f.benchmarkDuration !== undefined ? f.benchmarkDuration * 1000 : null,
    gracePeriodMs: f.benchmarkGracePeriod * 1000,
    warmupRequestCount: f.warmupRequestCount,
    isl: f.isl,
    osl: f.osl ?? null,
    randomSeed: f.randomSeed,
    numDatasetEntries: f.numDatasetEntries,
    artifactDir: f.artifactDir ?? defaultArtifactDir(f.model, f.endpointType, f.concurrency),
    goodput: f.goodput ?? [],
    extraPercentiles,
    ui: f.ui === "auto" ? (ctx.stderrIsTTY ? "simple" : "none") : f.ui === "dashboard" ? "simple" : f.ui,
    workers: f.workers ?? defaultWorkers(f.concurrency, ctx.cores),
    transport: f.transport === "fetch" ? "fetch" : "http1",
    insecure: f.insecure,
    failedRequestThreshold: f.failedRequestThreshold ?? null,
    sliceNs: f.sliceDuration !== undefined ? Math.round(f.sliceDuration * 1e9) : null,
    apiKey: f.apiKey ?? null,
  };
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
