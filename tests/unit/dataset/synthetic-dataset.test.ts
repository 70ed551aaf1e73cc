import { beforeAll, describe, expect, test } from "bun:test";
import { parseSeqDist } from "../../../src/dataset/seq-dist.ts";
import { type SyntheticOptions, buildSyntheticDataset } from "../../../src/dataset/synthetic-dataset.ts";
import { type TextTokenizer, loadTokenizer } from "../../../src/dataset/tokenizer.ts";

let tok: TextTokenizer;

beforeAll(async () => {
  tok = await loadTokenizer("builtin");
});

function opts(o: Partial<SyntheticOptions> = {}): SyntheticOptions {
  return {
    numEntries: 20,
    isl: 200,
    islStddev: 0,
    osl: 50,
    oslStddev: 0,
    seqDist: null,
    seed: 0,
    numPrefixPrompts: 0,
    prefixPromptLength: 0,
    sharedSystemPromptLength: 0,
    ...o,
  };
}

const texts = (d: ReturnType<typeof buildSyntheticDataset>) =>
  d.sessions.map((s) => {
    const p = s.turns[0]!.prompt;
    if (p.kind !== "text") throw new Error("text prompt expected");
    return p;
  });

describe("buildSyntheticDataset", () => {
  test("numEntries one-turn sessions of exactly isl tokens, osl max tokens", () => {
    const d = buildSyntheticDataset(tok, opts({ numEntries: 25 }));
    expect(d.sampling).toBe("sequential");
    expect(d.blockSize).toBe(512);
    expect(d.systemPrompt).toBeNull();
    expect(d.sessions.map((s) => s.sessionId).slice(0, 3)).toEqual(["session_000000", "session_000001", "session_000002"]);
    expect(d.sessions).toHaveLength(25);
    for (const s of d.sessions) {
      expect(s.turns).toHaveLength(1);
      expect(s.turns[0]).toMatchObject({ maxTokens: 50, timestampMs: null, delayMs: 0 });
    }
    for (const p of texts(d)) expect([p.tokens, tok.count(p.text)]).toEqual([200, 200]);
    expect(new Set(texts(d).map((p) => p.text)).size).toBe(25);
  });

  test("stddevs vary the lengths (positive normal integers); prompts stay exact; osl null: no max tokens", () => {
    const d = buildSyntheticDataset(tok, opts({ numEntries: 60, isl: 100, islStddev: 40, osl: null }));
    const ps = texts(d);
    for (const p of ps) {
      expect(tok.count(p.text)).toBe(p.tokens);
      expect(p.tokens).toBeGreaterThanOrEqual(1);
    }
    expect(new Set(ps.map((p) => p.tokens)).size).toBeGreaterThan(20);
    for (const s of d.sessions) expect(s.turns[0]!.maxTokens).toBeNull();
    const withOsl = buildSyntheticDataset(tok, opts({ numEntries: 60, osl: 300, oslStddev: 100 }));
    expect(new Set(withOsl.sessions.map((s) => s.turns[0]!.maxTokens)).size).toBeGreaterThan(20);
  });

  test("--seq-dist: (isl, osl) pairs from the distribution, isl exact", () => {
    const d = buildSyntheticDataset(tok, opts({ numEntries: 60, islStddev: 50, oslStddev: 50, seqDist: parseSeqDist("64,8:50;300,30:50") }));
    const seen = new Set<string>();
    for (const [i, p] of texts(d).entries()) {
      const osl = d.sessions[i]!.turns[0]!.maxTokens;
      expect([p.tokens, osl]).toEqual(p.tokens === 64 ? [64, 8] : [300, 30]);
      expect(tok.count(p.text)).toBe(p.tokens);
      seen.add(`${p.tokens}`);
    }
    expect(seen.size).toBe(2);
  });

  test("prefix prompts: the prefix (one of a pool), a space, the prompt; tokens counted on the whole text", () => {
    const d = buildSyntheticDataset(tok, opts({ numEntries: 40, isl: 50, numPrefixPrompts: 3, prefixPromptLength: 30 }));
    const prefixes = new Map<string, number>();
    for (const p of texts(d)) {
      expect(tok.count(p.text)).toBe(p.tokens);
      expect(p.tokens).toBe(80);
      // the prefix: the text before a space where 30 tokens end and 50 follow
      let cut = p.text.indexOf(" ");
      while (cut >= 0 && !(tok.count(p.text.slice(0, cut)) === 30 && tok.count(p.text.slice(cut)) === 50)) cut = p.text.indexOf(" ", cut + 1);
      expect(cut).toBeGreaterThan(0);
      const head = p.text.slice(0, cut);
      prefixes.set(head, (prefixes.get(head) ?? 0) + 1);
    }
    expect(prefixes.size).toBe(3);
    expect([...prefixes.values()].reduce((a, b) => a + b, 0)).toBe(40);
  });

  test("shared system prompt of exactly the given length", () => {
    const d = buildSyntheticDataset(tok, opts({ sharedSystemPromptLength: 333 }));
    expect(tok.count(d.systemPrompt!)).toBe(333);
  });

  test("same seed: byte-identical dataset; different seed: different prompts", () => {
    const o = opts({ numEntries: 30, islStddev: 20, oslStddev: 5, numPrefixPrompts: 2, prefixPromptLength: 10, sharedSystemPromptLength: 20 });
    const a = buildSyntheticDataset(tok, { ...o, seed: 11 });
    expect(JSON.stringify(buildSyntheticDataset(tok, { ...o, seed: 11 }))).toBe(JSON.stringify(a));
    const b = buildSyntheticDataset(tok, { ...o, seed: 12 });
    expect(b.systemPrompt).not.toBe(a.systemPrompt!);
    const ta = texts(a).map((p) => p.text);
    const tb = texts(b).map((p) => p.text);
    expect([ta.length, tb.length]).toEqual([30, 30]);
    for (let i = 0; i < tb.length; i++) expect(tb[i]).not.toBe(ta[i]!);
  });

  test("numEntries must be a positive integer", () => {
    expect(() => buildSyntheticDataset(tok, opts({ numEntries: 0 }))).toThrow("the number of dataset entries must be a positive integer, got 0");
  });
});

describe("synthetic multi-turn sessions (AIPerf --conversation-turn-*)", () => {
  test("turns per session and delays follow the options; only the first turn has the prefix", () => {
    const d = buildSyntheticDataset(
      tok,
      opts({
        numEntries: 40,
        isl: 20,
        turnMean: 3,
        turnStddev: 1,
        turnDelayMeanMs: 100,
        turnDelayStddevMs: 20,
        turnDelayRatio: 0.5,
        numPrefixPrompts: 1,
        prefixPromptLength: 10,
      }),
    );
    const counts = d.sessions.map((s) => s.turns.length);
    expect(counts.length).toBe(40);
    expect(counts.every((n) => n >= 1)).toBe(true);
    expect(new Set(counts).size).toBeGreaterThan(1);
    // AIPerf takes the ceil of the normal draw, so the mean is about 3.5 for 3 +- 1.
    expect(Math.abs(counts.reduce((a, b) => a + b, 0) / counts.length - 3.5)).toBeLessThan(0.5);
    const prefixed = (t: { prompt: { kind: string; tokens: number } }) => t.prompt.tokens === 30;
    for (const s of d.sessions) {
      expect(s.turns[0]!.delayMs).toBe(0);
      expect(prefixed(s.turns[0]!)).toBe(true);
      for (const t of s.turns.slice(1)) {
        expect(prefixed(t)).toBe(false);
        expect(t.prompt.tokens).toBe(20);
        // ceil(normal(100, 20)) x 0.5: integral halves, around 50 ms.
        expect(Number.isInteger(t.delayMs * 2)).toBe(true);
        expect(t.delayMs).toBeGreaterThan(10);
        expect(t.delayMs).toBeLessThan(90);
      }
    }
  });

  test("fixed turns without spread; one-turn datasets are unchanged by the turn options' defaults", () => {
    const d = buildSyntheticDataset(tok, opts({ numEntries: 5, turnMean: 2, turnDelayMeanMs: 7 }));
    expect(d.sessions.map((s) => s.turns.map((t) => t.delayMs))).toEqual(Array.from({ length: 5 }, () => [0, 7]));
    const plain = buildSyntheticDataset(tok, opts({ numEntries: 5 }));
    const explicit = buildSyntheticDataset(tok, opts({ numEntries: 5, turnMean: 1, turnStddev: 0, turnDelayMeanMs: 0 }));
    expect(texts(explicit).map((p) => p.text)).toEqual(texts(plain).map((p) => p.text));
  });
});
