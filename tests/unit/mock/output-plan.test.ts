import { describe, expect, test } from "bun:test";
import { chooseOutputLength, chunkSlice, MAX_DEFAULT_OUTPUT_TOKENS, planOutput } from "../../../src/mock/output-plan.ts";

describe("output length", () => {
  const cases: { name: string; max: number | null; min: number; prompt: number; u: number; tokens: number; finish: string }[] = [
    { name: "max given: exactly max", max: 7, min: 0, prompt: 1000, u: 0.99, tokens: 7, finish: "length" },
    { name: "max given with min", max: 7, min: 7, prompt: 3, u: 0, tokens: 7, finish: "length" },
    { name: "no max: 0.5x prompt at u=0", max: null, min: 0, prompt: 100, u: 0, tokens: 50, finish: "stop" },
    { name: "no max: 1.0x prompt at u=0.5", max: null, min: 0, prompt: 100, u: 0.5, tokens: 100, finish: "stop" },
    { name: "no max: under 1.5x at u->1", max: null, min: 0, prompt: 100, u: 0.999, tokens: 149, finish: "stop" },
    { name: "no max, empty prompt: at least 1", max: null, min: 0, prompt: 0, u: 0.7, tokens: 1, finish: "stop" },
    { name: "no max: min_tokens raises", max: null, min: 80, prompt: 100, u: 0, tokens: 80, finish: "stop" },
    { name: "no max: capped", max: null, min: 0, prompt: 100_000, u: 0.5, tokens: MAX_DEFAULT_OUTPUT_TOKENS, finish: "stop" },
    { name: "no max: min beats cap", max: null, min: 5000, prompt: 100_000, u: 0.5, tokens: 5000, finish: "stop" },
  ];
  for (const c of cases) {
    test(c.name, () => {
      expect(chooseOutputLength(c.max, c.min, c.prompt, c.u)).toEqual({ tokens: c.tokens, finishReason: c.finish as "length" });
    });
  }
});

describe("plan and chunk layout", () => {
  test("reasoning counts towards max and comes first", () => {
    const p = planOutput(10, 0, 5, 4, 1, 0, 0);
    expect([p.reasoningTokens, p.contentTokens, p.chunks, p.reasoningChunks]).toEqual([4, 6, 10, 4]);
  });

  test("reasoning larger than max takes the whole budget", () => {
    const p = planOutput(3, 0, 5, 10, 1, 0, 0);
    expect([p.reasoningTokens, p.contentTokens, p.chunks]).toEqual([3, 0, 3]);
  });

  test("without max, reasoning is added to the seeded content length", () => {
    const p = planOutput(null, 0, 10, 4, 1, 0.5, 0);
    expect([p.reasoningTokens, p.contentTokens]).toEqual([4, 10]);
  });

  test("token offset comes from the uniform draw", () => {
    expect(planOutput(5, 0, 0, 0, 1, 0, 0).tokenOffset).toBe(0);
    expect(planOutput(5, 0, 0, 0, 1, 0, 0.5).tokenOffset).toBe(64);
  });

  test("tokensPerChunk bundles and never mixes reasoning with content", () => {
    const p = planOutput(10, 0, 0, 3, 2, 0, 0);
    const slices = Array.from({ length: p.chunks }, (_, i) => chunkSlice(p, i));
    expect(slices).toEqual([
      { channel: "reasoning", start: 0, tokens: 2, last: false },
      { channel: "reasoning", start: 2, tokens: 1, last: false },
      { channel: "content", start: 3, tokens: 2, last: false },
      { channel: "content", start: 5, tokens: 2, last: false },
      { channel: "content", start: 7, tokens: 2, last: false },
      { channel: "content", start: 9, tokens: 1, last: true },
    ]);
  });

  for (const [max, tpc] of [
    [1, 1],
    [9, 4],
    [100, 3],
    [64, 8],
  ] as const) {
    test(`slices cover all ${max} tokens contiguously with ${tpc} per chunk`, () => {
      const p = planOutput(max, 0, 0, 0, tpc, 0, 0);
      expect(p.chunks).toBe(Math.ceil(max / tpc));
      let next = 0;
      for (let i = 0; i < p.chunks; i++) {
        const s = chunkSlice(p, i);
        expect(s.start).toBe(next);
        expect(s.tokens).toBeGreaterThan(0);
        expect(s.tokens).toBeLessThanOrEqual(tpc);
        expect(s.last).toBe(i === p.chunks - 1);
        next += s.tokens;
      }
      expect(next).toBe(max);
    });
  }
});
