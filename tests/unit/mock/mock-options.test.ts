import { describe, expect, test } from "bun:test";
import { DEFAULT_MOCK_OPTIONS, resolveMockOptions, type MockOptions } from "../../../src/mock/mock-options.ts";

describe("mock options", () => {
  test("defaults", () => {
    expect(resolveMockOptions()).toEqual({
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
    });
    expect(DEFAULT_MOCK_OPTIONS.host).toBe("127.0.0.1");
  });

  test("partial overrides merge; undefined keeps the default; models are copied", () => {
    const models = ["a"];
    const o = resolveMockOptions({ ttftMs: 1, itlMs: undefined, models });
    expect([o.ttftMs, o.itlMs]).toEqual([1, 5]);
    models.push("b");
    expect(o.models).toEqual(["a"]);
  });

  const bad: [string, Partial<MockOptions>][] = [
    ["port", { port: 70000 }],
    ["port", { port: 1.5 }],
    ["models", { models: [] }],
    ["ttftMs", { ttftMs: -1 }],
    ["itlMs", { itlMs: NaN }],
    ["jitterPct", { jitterPct: 101 }],
    ["tokensPerChunk", { tokensPerChunk: 0 }],
    ["embeddingDim", { embeddingDim: 0 }],
    ["faultDropPct", { faultDropPct: -5 }],
    ["fault500Pct", { fault500Pct: 60, faultStallPct: 50 }],
    ["stepMs", { stepMs: 0 }],
    ["maxBatchSize", { maxBatchSize: -1 }],
    ["recordPath", { recordPath: "" }],
    ["host", { host: "" }],
  ];
  for (const [field, p] of bad) {
    test(`rejects ${JSON.stringify(p)}`, () => expect(() => resolveMockOptions(p)).toThrow(new RegExp(`mock option ${field} `)));
  }
});
