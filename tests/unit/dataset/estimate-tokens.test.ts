import { expect, test } from "bun:test";
import { estimateTokens } from "../../../src/dataset/estimate-tokens.ts";

test.each([
  ["", 0],
  [" the", 1],
  [" the of and", 3],
  ["hello\nworld\t !", 3],
  ["   ", 0],
])("estimateTokens(%j) = %d", (text, n) => {
  expect(estimateTokens(text)).toBe(n);
});
