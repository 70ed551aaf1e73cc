import { describe, expect, test } from "bun:test";
import { cdfSearch } from "../../../src/dataset/cdf-search.ts";
import { PROMPT_WORDS } from "../../../src/dataset/prompt-words.ts";
import { mulberry32 } from "../../../src/dataset/seeded-rng.ts";

describe("cdfSearch finds what a binary search finds: the smallest index whose cumulative weight is above x", () => {
  /** The search prompt() drew words with before the guide table. */
  const binarySearch = (cdf: Float64Array, x: number): number => {
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const cumulative = (weights: number[]): Float64Array => {
    const cdf = new Float64Array(weights.length);
    let acc = 0;
    weights.forEach((w, i) => {
      acc += w;
      cdf[i] = acc;
    });
    return cdf;
  };
  const cases: [string, Float64Array][] = [
    ["the prompt words' Zipf weights", cumulative(PROMPT_WORDS.map((_, i) => 1 / (i + 2.7)))],
    ["uniform, 10,000 entries", cumulative(Array.from({ length: 10_000 }, () => 1))],
    ["one heavy weight among light ones", cumulative(Array.from({ length: 500 }, (_, i) => (i === 250 ? 1e6 : 1e-3)))],
    ["one entry", cumulative([0.3])],
    ["two entries", cumulative([1, 3])],
  ];
  test.each(cases)("%s", (_, cdf) => {
    const total = cdf[cdf.length - 1]!;
    const search = cdfSearch(cdf);
    const rng = mulberry32(11);
    const xs = [0, total * (1 - 2 ** -40), ...Array.from({ length: 20_000 }, () => rng() * total)];
    for (const c of cdf) xs.push(c, c * (1 - 2 ** -52), c * (1 + 2 ** -52));
    const wrong = xs.filter((x) => x < total && search(x) !== binarySearch(cdf, x));
    expect(wrong).toEqual([]);
    expect(xs.length).toBeGreaterThan(20_000);
  });
});
