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
  type ProfileFlags,
} from "../../../src/config/profile-config.ts";

const FLAGS: ProfileFlags = {
  url: ["http://h:8000"],
  model: "org/m",
  endpointType: "chat",
  streaming: true,
  requestTimeoutSeconds: 10,
  tokenizer: "builtin",
  tokenizerRevision: "main",
  concurrency: 4,
  benchmarkGracePeriod: 30,
  warmupRequestCount: 0,
  isl: 550,
  randomSeed: 0,
  numDatasetEntries: 100,
  ui: "auto",
  transport: "http",
  insecure: false,
};

describe("profile config", () => {
  test.each([
    ["true", true], ["False", false], ["null", null], ["None", null], ["12", 12], ["-3", -3], ["0.5", 0.5], ["1.", 1], ["1.2.3", "1.2.3"], ["abc", "abc"],
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
    const { config, problems } = resolveProfileConfig({ ...FLAGS, url: ["http://a:1/", "http://b:2"], apiKey: "sk-1" }, { stderrIsTTY: false, cores: 2 });
    expect(problems).toEqual([]);
    expect(config.urls).toEqual(["http://a:1/v1/chat/completions", "http://b:2/v1/chat/completions"]);
    expect(config.headers.authorization).toBe("Bearer sk-1");
    expect(config.ui).toBe("none");
    expect(config.requestCount).toBe(10);
    const custom = resolveProfileConfig({ ...FLAGS, endpoint: "v2/generate", endpointType: "completions" }, { stderrIsTTY: true });
    expect(custom.config.urls).toEqual(["http://h:8000/v2/generate"]);
    expect(custom.config.ui).toBe("simple");
    const both = resolveProfileConfig({ ...FLAGS, requestCount: 5, benchmarkDuration: 10 }, { stderrIsTTY: false });
    expect(both.problems).toEqual(["--request-count and --benchmark-duration cannot be used together; pick one bound"]);
    const emb = resolveProfileConfig({ ...FLAGS, endpointType: "embeddings", streaming: true }, { stderrIsTTY: false });
    expect(emb.problems).toEqual(["--streaming is not available with --endpoint-type embeddings"]);
  });

  test("redaction removes the key from every field", () => {
    const { config } = resolveProfileConfig({ ...FLAGS, apiKey: "sk-very-secret", header: ["X-Api-Key:sk-other-secret"] }, { stderrIsTTY: false });
    const text = JSON.stringify(redactedConfig(config));
    expect(text).not.toContain("sk-very-secret");
    expect(text).not.toContain("sk-other-secret");
    expect(text).toContain("<redacted>");
  });
});
