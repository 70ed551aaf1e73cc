import { describe, expect, test } from "bun:test";
import { atPath, parseFieldPath } from "../../../src/client/field-path.ts";

describe("parseFieldPath", () => {
  test.each([
    ["generated_text", ["generated_text"]],
    ["choices[0].message.content", ["choices", 0, "message", "content"]],
    ["data[-1].embedding", ["data", -1, "embedding"]],
    ['"odd key".x', ["odd key", "x"]],
    ["a[0][1]", ["a", 0, 1]],
  ])("%p", (path, want) => {
    expect(parseFieldPath(path)).toEqual(want);
  });
  test.each(["", "a.", ".a", "a..b", "a.[0]", "a[x]", "a[0", "a[*].b", "a | b", "1a", "a b"])("%p is refused", (path) => {
    expect(parseFieldPath(path)).toBeNull();
  });
});

describe("atPath", () => {
  const v = { choices: [{ message: { content: "hi" } }], data: [1, 2, 3], n: null };
  test.each([
    [["choices", 0, "message", "content"], "hi"],
    [["data", -1], 3],
    [["data", 5], undefined],
    [["choices", "x"], undefined],
    [["n", "x"], undefined],
    [["missing"], undefined],
  ] as const)("%p", (steps, want) => {
    expect(atPath(v, steps)).toEqual(want);
  });
});
