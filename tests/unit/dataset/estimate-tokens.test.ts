import { expect, test } from "bun:test";
import { estimateTokens } from "../../../src/dataset/estimate-tokens.ts";
import { wordPrompt } from "../../../src/dataset/word-prompt.ts";

test.each([
  ["", 0],
  [" the", 1],
  [" the of and", 3],
  ["hello\nworld\t !", 3],
  ["   ", 0],
])("estimateTokens(%j) = %d", (text, n) => {
  expect(estimateTokens(text)).toBe(n);
});

test("word prompts have the requested word count and repeat by seed", () => {
  expect(estimateTokens(wordPrompt(550, 1))).toBe(550);
  expect(wordPrompt(50, 7)).toBe(wordPrompt(50, 7));
  expect(wordPrompt(50, 7)).not.toBe(wordPrompt(50, 8));
});
