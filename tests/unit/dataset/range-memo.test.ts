import { describe, expect, test } from "bun:test";
import { mulberry32 } from "../../../src/dataset/seeded-rng.ts";
import { RangeMemo } from "../../../src/dataset/range-memo.ts";

describe("RangeMemo", () => {
  test("finds a key by a range of a longer text, by its characters; -1 for what it does not hold", () => {
    const m = new RangeMemo(100);
    m.set(" world", 1);
    m.set("hello", 2);
    m.set("", 7);
    const text = "hello world, hello";
    expect([m.get(text, 0, 5), m.get(text, 5, 11), m.get(text, 13, 18), m.get(text, 3, 3)]).toEqual([2, 1, 2, 7]);
    expect([m.get(text, 0, 4), m.get(text, 0, 6), m.get(text, 5, 10), m.get(text, 11, 12)]).toEqual([-1, -1, -1, -1]);
    expect(m.size).toBe(3);
  });

  test("a key set twice keeps its first value", () => {
    const m = new RangeMemo(10);
    m.set("a", 1);
    m.set("a", 2);
    expect([m.get("a", 0, 1), m.size]).toEqual([1, 1]);
  });

  test("agrees with a Map over thousands of keys as it grows (short, long, non-ASCII, surrogates)", () => {
    const rng = mulberry32(5);
    const alphabet = [..."abcXYZ 09.,\n", "é", "日", "🎉"];
    const m = new RangeMemo(1 << 20);
    const ref = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      let k = "";
      const len = Math.floor(rng() * 12);
      for (let j = 0; j < len; j++) k += alphabet[Math.floor(rng() * alphabet.length)];
      if (!ref.has(k)) ref.set(k, i);
      m.set(k, i);
    }
    expect(m.size).toBe(ref.size);
    let checked = 0;
    for (const [k, v] of ref) {
      const text = `<<${k}>>`;
      expect(m.get(text, 2, 2 + k.length)).toBe(v);
      checked++;
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  test("at its limit everything is forgotten at once, and it fills again", () => {
    const m = new RangeMemo(3);
    for (const k of ["a", "b", "c"]) m.set(k, k.charCodeAt(0));
    expect(m.size).toBe(3);
    m.set("d", 100);
    expect([m.size, m.get("a", 0, 1), m.get("d", 0, 1)]).toEqual([1, -1, 100]);
  });

  test("a key it holds, set again at its limit, forgets nothing", () => {
    const m = new RangeMemo(3);
    for (const k of ["a", "b", "c"]) m.set(k, k.charCodeAt(0));
    m.set("b", 1);
    expect([m.size, m.get("abc", 0, 1), m.get("abc", 1, 2), m.get("abc", 2, 3)]).toEqual([3, 97, 98, 99]);
  });
});
