import { describe, expect, test } from "bun:test";
import { splitQueryPassages } from "../../../src/client/rankings-body.ts";

describe("splitQueryPassages", () => {
  test.each([
    ["a b c d e f", 2, { query: "a b", passages: ["c d", "e f"] }],
    ["a b c d e f g", 2, { query: "a b", passages: ["c d", "e f g"] }],
    ["a  b\nc", 1, { query: "a", passages: ["b c"] }],
    // Fewer words than parts: fewer passages, none empty.
    ["a b", 5, { query: "a", passages: ["b"] }],
    ["a", 3, { query: "a", passages: [] }],
    ["", 2, { query: "", passages: [] }],
  ])("%p into %p passages", (prompt, n, want) => {
    expect(splitQueryPassages(prompt, n)).toEqual(want);
  });
});
