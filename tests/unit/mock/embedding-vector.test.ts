import { describe, expect, test } from "bun:test";
import { embeddingBase64, embeddingInputs, embeddingVector } from "../../../src/mock/embedding-vector.ts";

describe("embedding vectors", () => {
  test("deterministic per (text, seed), unit length, right size", () => {
    const a = embeddingVector("hello", 16, 0);
    expect(a.length).toBe(16);
    expect(Array.from(embeddingVector("hello", 16, 0))).toEqual(Array.from(a));
    expect(Array.from(embeddingVector("hellp", 16, 0))).not.toEqual(Array.from(a));
    expect(Array.from(embeddingVector("hello", 16, 1))).not.toEqual(Array.from(a));
    const norm = Math.sqrt(a.reduce((s, x) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 5);
  });

  test("base64 is little-endian float32", () => {
    const v = new Float32Array([1, -2.5]);
    const back = new Float32Array(new Uint8Array(Buffer.from(embeddingBase64(v), "base64")).buffer);
    expect(Array.from(back)).toEqual([1, -2.5]);
  });

  const inputs: [unknown, number | null][] = [
    ["a", 1],
    [["a", "b"], 2],
    [[1, 2, 3], 1],
    [[[1], [2, 3]], 2],
    [[], null],
    [{}, null],
    [["a", {}], null],
    [null, null],
  ];
  for (const [input, n] of inputs) {
    test(`inputs ${JSON.stringify(input)}`, () => expect(embeddingInputs(input)?.length ?? null).toBe(n));
  }
});
