// Options of the built-in mock server. The CLI exposes each field 1:1 as a kebab-case flag
// (ttftMs -> --ttft-ms, models -> --model repeatable, recordPath -> --record).

export interface MockOptions {
  /** Interface to bind; loopback unless the user asks otherwise. */
  host: string;
  /** 0 = any free port. */
  port: number;
  /** Served at GET /v1/models; requests may name any model. */
  models: string[];
  ttftMs: number;
  itlMs: number;
  /** Seeded uniform jitter of +-pct on ttft and on every gap (independent model only). */
  jitterPct: number;
  seed: number;
  /** Tokens bundled per SSE chunk (speculative decoding). */
  tokensPerChunk: number;
  /** Chat only: this many leading tokens are sent as delta.reasoning_content. */
  reasoningTokens: number;
  embeddingDim: number;
  fault500Pct: number;
  fault429Pct: number;
  faultDropPct: number;
  faultMalformedPct: number;
  faultStallPct: number;
  stallSeconds: number;
  /** 0 = every request decodes independently; >0 = one global batched-decode scheduler. */
  maxBatchSize: number;
  /** Decode step of the batched model. */
  stepMs: number;
  /** JSONL file, one line per finished request, opened in append mode. */
  recordPath: string | null;
}

export const DEFAULT_MOCK_OPTIONS: MockOptions = Object.freeze({
  host: "127.0.0.1",
  port: 0,
  models: ["mock-model"],
  ttftMs: 20,
  itlMs: 5,
  jitterPct: 0,
  seed: 0,
  tokensPerChunk: 1,
  reasoningTokens: 0,
  embeddingDim: 16,
  fault500Pct: 0,
  fault429Pct: 0,
  faultDropPct: 0,
  faultMalformedPct: 0,
  faultStallPct: 0,
  stallSeconds: 30,
  maxBatchSize: 0,
  stepMs: 10,
  recordPath: null,
}) as MockOptions;

/** Bounds that keep a typo from allocating gigabytes or arming year-long timers. */
const MAX_EMBEDDING_DIM = 65_536;
const MAX_DELAY_MS = 3_600_000;

function fail(field: keyof MockOptions, rule: string, got: unknown): never {
  throw new RangeError(`mock option ${field} ${rule} (got ${JSON.stringify(got)})`);
}

function num(o: MockOptions, field: keyof MockOptions, min: number, max: number, integer: boolean): void {
  const v = o[field];
  if (typeof v !== "number" || !Number.isFinite(v)) fail(field, "must be a finite number", v);
  if (integer && !Number.isInteger(v)) fail(field, "must be an integer", v);
  if (v < min || v > max) fail(field, `must be between ${min} and ${max}`, v);
}

/** Defaults merged with `partial`, validated; throws RangeError naming the bad field. */
export function resolveMockOptions(partial: Partial<MockOptions> = {}): MockOptions {
  const o: MockOptions = { ...DEFAULT_MOCK_OPTIONS };
  for (const [k, v] of Object.entries(partial)) {
    if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
  }
  o.models = [...o.models];
  if (typeof o.host !== "string" || o.host === "") fail("host", "must be a non-empty string", o.host);
  num(o, "port", 0, 65_535, true);
  if (o.models.length === 0 || o.models.some((m) => typeof m !== "string" || m === "")) {
    fail("models", "must be a non-empty list of non-empty names", o.models);
  }
  num(o, "ttftMs", 0, MAX_DELAY_MS, false);
  num(o, "itlMs", 0, MAX_DELAY_MS, false);
  num(o, "jitterPct", 0, 100, false);
  num(o, "seed", -(2 ** 53), 2 ** 53, true);
  num(o, "tokensPerChunk", 1, 1_000_000, true);
  num(o, "reasoningTokens", 0, 1_000_000, true);
  num(o, "embeddingDim", 1, MAX_EMBEDDING_DIM, true);
  const faults = ["fault500Pct", "fault429Pct", "faultDropPct", "faultMalformedPct", "faultStallPct"] as const;
  for (const f of faults) num(o, f, 0, 100, false);
  const faultSum = faults.reduce((s, f) => s + o[f], 0);
  if (faultSum > 100) fail("fault500Pct", "plus the other fault percentages must not exceed 100", faultSum);
  num(o, "stallSeconds", 0, MAX_DELAY_MS / 1000, false);
  num(o, "maxBatchSize", 0, 1_000_000, true);
  num(o, "stepMs", 0.1, MAX_DELAY_MS, false);
  if (o.recordPath !== null && (typeof o.recordPath !== "string" || o.recordPath === "")) {
    fail("recordPath", "must be a file path or null", o.recordPath);
  }
  return o;
}
