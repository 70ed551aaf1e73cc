import { describe, expect, test } from "bun:test";
import { tCdf, tQuantile } from "../../../src/metrics/student-t.ts";

// Expected values are scipy 1.17 (scipy.stats.t.ppf / t.cdf), pasted as literals.
const QUANTILES: [p: number, df: number, t: number][] = [
  [0.975, 1, 12.706204736174694],
  [0.975, 2, 4.302652729749462],
  [0.975, 4, 2.7764451051977934],
  [0.975, 9, 2.262157162798205],
  [0.95, 5, 2.0150483733330233],
  [0.995, 3, 5.840909309733355],
  [0.9, 10, 1.372183641110336],
  [0.995, 1, 63.656741162871526],
  [0.975, 30, 2.0422724563012378],
  [0.975, 1000, 1.9623390808264083],
  [0.999, 2, 22.327124770119866],
  [0.6, 7, 0.2631668613520229],
  [0.025, 4, -2.7764451051977943],
];

const CDF: [t: number, df: number, p: number][] = [
  [0, 3, 0.5],
  [1, 1, 0.75],
  [2.5, 4, 0.966616727594006],
  [-1.5, 9, 0.08392532802853753],
  [10, 2, 0.9950737714883372],
];

describe("Student's t", () => {
  test.each(QUANTILES)("quantile p=%p df=%p is scipy's to 1e-9", (p, df, t) => {
    expect(Math.abs(tQuantile(p, df) - t)).toBeLessThan(1e-9 * Math.max(1, Math.abs(t)));
  });

  test.each(CDF)("cdf t=%p df=%p is scipy's to 1e-12", (t, df, p) => {
    expect(Math.abs(tCdf(t, df) - p)).toBeLessThan(1e-12);
  });

  test("the median is 0; p outside (0, 1) or df <= 0 is refused", () => {
    expect(tQuantile(0.5, 3)).toBe(0);
    expect(() => tQuantile(1, 3)).toThrow(RangeError);
    expect(() => tQuantile(0, 3)).toThrow(RangeError);
    expect(() => tQuantile(0.9, 0)).toThrow(RangeError);
  });
});
