import { describe, expect, test } from "bun:test";
import {
  coerceValue,
  defaultArtifactDir,
  defaultRequestCount,
  defaultWorkers,
  parseExtraInputs,
  parseHeaders,
  parsePercentiles,
  redactedConfig,
  resolveProfileConfig,
  parseProfileFlags,
  NO_REQUEST_LIMIT,
  type ProfileFlags,
  type ResolveContext,
} from "../../../src/config/profile-config.ts";

/** Flag values as the CLI would make them from `raw` (kebab keys, as typed), plus typed overrides. */
function flagsOf(raw: Record<string, string | boolean | string[]>, over: Record<string, unknown> = {}): { flags: ProfileFlags; given: Set<string> } {
  const parsed = parseProfileFlags(raw);
  expect(parsed.problems).toEqual([]);
  return { flags: { ...parsed.flags, ...over } as ProfileFlags, given: new Set([...parsed.given, ...Object.keys(over)]) };
}

const FULL_RAW = { url: ["http://h:8000"], model: "org/m", streaming: true, "request-timeout-seconds": "10", tokenizer: "builtin", concurrency: "4" };
/** Without the flags that pick a load mode or a tokenizer, for the mode tests (model "m"). */
const OPEN_RAW = { url: ["http://h:8000"], model: "m", streaming: true, "request-timeout-seconds": "10", ui: "none" };

function resolveFull(over: Record<string, unknown>, ctx: Partial<ResolveContext> = {}) {
  const { flags, given } = flagsOf(FULL_RAW, over);
  return resolveProfileConfig(flags, { given, stderrIsTTY: false, ...ctx });
}

describe("profile config", () => {
  test.each([
    ["true", true],
    ["False", false],
    ["null", null],
    ["None", null],
    ["12", 12],
    ["-3", -3],
    ["0.5", 0.5],
    ["1.", 1],
    ["1.2.3", "1.2.3"],
    ["abc", "abc"],
  ])("coerceValue(%j) = %j (AIPerf's coercion)", (raw, want) => {
    expect(coerceValue(raw)).toEqual(want);
  });

  test("--extra-inputs: key:value pairs and JSON objects merge in order", () => {
    const problems: string[] = [];
    expect(parseExtraInputs(["ignore_eos:true", '{"temperature": 0.2, "top_k": 5}', "top_k:7", "stop:a:b"], problems)).toEqual({
      ignore_eos: true,
      temperature: 0.2,
      top_k: 7,
      stop: "a:b",
    });
    expect(problems).toEqual([]);
    parseExtraInputs(["novalue", "[1,2]"], problems);
    expect(problems).toEqual([
      '--extra-inputs must be key:value or a JSON object (was "novalue")',
      '--extra-inputs must be key:value or a JSON object (was "[1,2]")',
    ]);
  });

  test("-H: names lower-cased, injection rejected", () => {
    const problems: string[] = [];
    expect(parseHeaders(["X-Team:infra", '{"X-Trace": "1"}'], problems)).toEqual({ "x-team": "infra", "x-trace": "1" });
    parseHeaders(['{"X-Bad": "a\\r\\nInjected: 1"}', "Bad Name:1"], problems);
    expect(problems.length).toBe(2);
  });

  test("--percentiles", () => {
    const problems: string[] = [];
    expect(parsePercentiles(["99.9", "99.99,50"], problems)).toEqual([99.9, 99.99, 50]);
    parsePercentiles(["100", "x"], problems);
    expect(problems.length).toBe(2);
  });

  test("defaults as AIPerf", () => {
    expect(defaultRequestCount(1)).toBe(10);
    expect(defaultRequestCount(64)).toBe(128);
    expect(defaultArtifactDir("Qwen/Qwen3-0.6B", "chat", "concurrency10")).toBe("artifacts/Qwen_Qwen3-0.6B-openai-chat-concurrency10");
    expect(defaultWorkers(100, 2)).toBe(1);
    expect(defaultWorkers(100, 16)).toBe(11);
    expect(defaultWorkers(3, 64)).toBe(3);
    expect(defaultWorkers(1000, 128)).toBe(32);
  });

  test("resolve: URLs get the endpoint path, the API key becomes a header, duration excludes count", () => {
    const { config, problems } = resolveFull({ url: ["http://a:1", "http://b:2"], apiKey: "sk-1" }, { cores: 2 });
    expect(problems).toEqual([]);
    expect(config.urls).toEqual(["http://a:1/v1/chat/completions", "http://b:2/v1/chat/completions"]);
    expect(config.headers.authorization).toBe("Bearer sk-1");
    // --ui auto: a heartbeat line (simple) when stderr is not a terminal, the dashboard when it is.
    expect(config.ui).toBe("simple");
    expect(config.requestCount).toBe(10);
    const custom = resolveFull({ endpoint: "v2/generate", endpointType: "completions" }, { stderrIsTTY: true });
    expect(custom.config.urls).toEqual(["http://h:8000/v2/generate"]);
    expect(custom.config.ui).toBe("dashboard");
    // --conversation-num: that many sessions, each through all its turns, then stop (AIPerf).
    const conv = resolveFull({ conversationNum: 10 });
    expect(conv.problems).toEqual([]);
    expect([conv.config.numDatasetEntries, conv.config.onePass, conv.config.requestCount]).toEqual([10, true, NO_REQUEST_LIMIT]);
    const convBoth = resolveFull({ conversationNum: 10, numDatasetEntries: 3 });
    expect([convBoth.config.numDatasetEntries, convBoth.config.onePass]).toEqual([10, true]);
    expect(convBoth.notes).toEqual(["--num-dataset-entries is not used: --conversation-num 10 builds that many sessions"]);
    expect(resolveFull({ conversationNum: 10, requestCount: 7 }).config.onePass).toBe(false);
    // Both bounds: the first reached ends the run, as AIPerf.
    const both = resolveFull({ requestCount: 5, benchmarkDuration: 10 });
    expect(both.problems).toEqual([]);
    expect([both.config.requestCount, both.config.benchmarkDuration]).toEqual([5, 10]);
    const emb = resolveFull({ endpointType: "embeddings", streaming: true });
    expect(emb.problems).toEqual(["--streaming is not available with --endpoint-type embeddings"]);
  });

  test("redaction removes the key from every field", () => {
    const { config } = resolveFull({ apiKey: "sk-very-secret", header: ["X-Api-Key:sk-other-secret"] });
    const text = JSON.stringify(redactedConfig(config));
    expect(text).not.toContain("sk-very-secret");
    expect(text).not.toContain("sk-other-secret");
    expect(text).toContain("<redacted>");
  });
});

describe("resolve: load modes", () => {
  const resolve = (over: Record<string, unknown>, ctx: { traceHasTimestamps?: boolean } = {}) => {
    const { flags, given } = flagsOf(OPEN_RAW, over);
    return resolveProfileConfig(flags, { given, stderrIsTTY: false, cores: 2, ...ctx });
  };

  test("concurrency by default, rate with an optional cap, AIPerf's default counts and directory names", () => {
    const c = resolve({});
    expect(c.config.load).toEqual({ kind: "concurrency", concurrency: 1, rampNs: 0 });
    expect(c.config.tokenizer).toBe("m");
    const r = resolve({ requestRate: 10 });
    expect(r.config.load).toMatchObject({ kind: "rate", ratePerSec: 10, pattern: "poisson", cap: null });
    expect(r.config.requestCount).toBe(10);
    expect(r.config.artifactDir).toBe("artifacts/m-openai-chat-request_rate10.0");
    const capped = resolve({ requestRate: 2.5, concurrency: 8, arrivalSmoothness: 0.5 });
    expect(capped.config.load).toMatchObject({ kind: "rate", pattern: "gamma", smoothness: 0.5, cap: 8 });
    expect(capped.config.artifactDir).toBe("artifacts/m-openai-chat-concurrency8-request_rate2.5");
  });

  test("a mooncake trace with timestamps replays on its schedule unless a rate is given; --concurrency caps it", () => {
    const trace = { inputFile: "t.jsonl", customDatasetType: "mooncake_trace" };
    expect(resolve({ ...trace }, { traceHasTimestamps: true }).config.load).toMatchObject({ kind: "fixed", cap: null, speedup: 1 });
    expect(resolve({ ...trace, concurrency: 4 }, { traceHasTimestamps: true }).config.load).toMatchObject({ kind: "fixed", cap: 4 });
    expect(resolve({ ...trace, requestRate: 5 }, { traceHasTimestamps: true }).config.load.kind).toBe("rate");
    expect(resolve({ ...trace }, { traceHasTimestamps: false }).config.load.kind).toBe("concurrency");
    expect(resolve({ ...trace }, { traceHasTimestamps: true }).config.artifactDir).toBe("artifacts/m-openai-chat-fixed_schedule");
  });

  test.each([
    [{ requestRate: 5, fixedSchedule: true, inputFile: "t" }, "--fixed-schedule and --request-rate cannot be used together"],
    [{ traceSpeedup: 2 }, "--trace-speedup needs --fixed-schedule"],
    [{ arrivalPattern: "gamma" }, "--arrival-pattern gamma needs --request-rate"],
    [{ requestRate: 5, arrivalPattern: "constant", arrivalSmoothness: 2 }, "--arrival-smoothness shapes the gamma pattern only"],
    [{ prefillConcurrency: 2, streaming: false }, "--prefill-concurrency needs --streaming"],
    [{ requestCancellationDelay: 1 }, "--request-cancellation-delay needs --request-cancellation-rate"],
    [{ requestRateRampDuration: 3 }, "--request-rate-ramp-duration needs --request-rate"],
    [{ concurrencyRampDuration: 3, requestRate: 4 }, "--concurrency-ramp-duration needs --concurrency"],
    [{ warmupConcurrency: 2 }, "--warmup-concurrency / --warmup-request-rate need --warmup-request-count"],
    [{ customDatasetType: "single_turn" }, "--custom-dataset-type needs --input-file"],
    [{ inputFile: "x", seqDist: "10,5:100" }, "--seq-dist shapes synthetic prompts and cannot be used with --input-file"],
    [{ numPrefixPrompts: 3 }, "--num-prefix-prompts needs --prefix-prompt-length"],
  ])("impossible combination %j is one clear problem", (over, msg) => {
    const problems = resolve(over).problems;
    expect(problems.length).toBe(1);
    expect(problems[0]).toContain(msg);
  });
});

test("a mooncake trace without --request-count is sent once (AIPerf); an explicit count or a duration wins", () => {
  const r = (over: Record<string, unknown>) => {
    const { flags, given } = flagsOf(OPEN_RAW, { inputFile: "t.jsonl", customDatasetType: "mooncake_trace", concurrency: 4, ...over });
    return resolveProfileConfig(flags, { given, stderrIsTTY: false, traceHasTimestamps: false }).config;
  };
  expect(r({}).onePass).toBe(true);
  expect(r({ requestCount: 7 })).toMatchObject({ onePass: false, requestCount: 7 });
  expect(r({ benchmarkDuration: 5 }).onePass).toBe(false);
  expect(r({ customDatasetType: "multi_turn" }).onePass).toBe(true); // any input file, not only traces
  expect(r({ inputFile: undefined }).onePass).toBe(false);
});
