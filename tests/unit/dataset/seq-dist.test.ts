import { describe, expect, test } from "bun:test";
import { mulberry32 } from "../../../src/dataset/seeded-rng.ts";
import { parseSeqDist, samplePair } from "../../../src/dataset/seq-dist.ts";

const pair = (isl: number, osl: number, percent: number, islStddev = 0, oslStddev = 0) => ({ isl, islStddev, osl, oslStddev, percent });

describe("parseSeqDist", () => {
  test.each([
    ["256,128:40;512,256:60", [pair(256, 128, 40), pair(512, 256, 60)]],
    ["  256 , 128 : 40 ; 512,256:60 ; ", [pair(256, 128, 40), pair(512, 256, 60)]],
    ["256|10,128|5:40;512|20.5,256|.5:60", [pair(256, 128, 40, 10, 5), pair(512, 256, 60, 20.5, 0.5)]],
    ["1000,1:100", [pair(1000, 1, 100)]],
    ["128,64:33.33;256,64:33.33;512,64:33.34", [pair(128, 64, 33.33), pair(256, 64, 33.33), pair(512, 64, 33.34)]],
    ["100,10:0;200,20:100", [pair(100, 10, 0), pair(200, 20, 100)]],
    ["[(256,128):40,(512|20,256|10):60]", [pair(256, 128, 40), pair(512, 256, 60, 20, 10)]],
    ["[ ( 256 , 128 ) : 40 , (512,256):60 ]", [pair(256, 128, 40), pair(512, 256, 60)]],
    [
      '{"pairs": [{"isl": 256, "isl_stddev": 10, "osl": 128, "osl_stddev": 5, "prob": 40}, {"isl": 512, "osl": 256, "prob": 60}]}',
      [pair(256, 128, 40, 10, 5), pair(512, 256, 60)],
    ],
  ])("%p", (spec, pairs) => {
    const d = parseSeqDist(spec);
    expect(d.pairs).toEqual(pairs);
    expect(d.cumulative).toHaveLength(pairs.length);
    expect(d.cumulative.at(-1)).toBeCloseTo(1, 9);
  });

  test("the sum may miss 100 by AIPerf's tolerance (1.01e-4), no more", () => {
    expect(parseSeqDist("1,1:50.00005;2,2:50").pairs).toHaveLength(2);
    expect(() => parseSeqDist("1,1:50.0002;2,2:50")).toThrow("probabilities sum to 100.0002, not 100");
  });

  test.each([
    ["", "empty"],
    ["   ", "empty"],
    [";;", "no pairs"],
    ["256,128:0.4;512,256:0.6", "probabilities sum to 1: they are percentages (0-100), not fractions"],
    ["256,128:40;512,256:50", "probabilities sum to 90, not 100"],
    ["256,128", `bad pair "256,128"`],
    ["256:128:100", `bad pair "256:128:100"`],
    ["256,128:40;512,x:60", `bad pair "512,x:60"`],
    ["-5,128:100", `bad pair "-5,128:100"`],
    ["0,128:100", "ISL must be a positive integer, got 0"],
    ["128,0:100", "OSL must be a positive integer, got 0"],
    ["128,5:150;1,1:-50", `bad pair "1,1:-50"`],
    ["128,5:150", "a probability must be a percentage in [0, 100], got 150"],
    ["[(256,128):40, junk, (512,256):60]", `bad pair near ", junk,"`],
    ["[]", "no pairs"],
    ["{not json", "invalid JSON ("],
    ['{"pair": []}', `JSON form needs {"pairs": [...]}`],
    ['{"pairs": [{"isl": 256, "prob": 100}]}', `pair 0 needs a number "osl", got undefined`],
  ])("%p is rejected: %s", (spec, why) => {
    let msg = "";
    try {
      parseSeqDist(spec);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg.startsWith(`--seq-dist ${JSON.stringify(spec)}: ${why}`)).toBe(true);
    expect(msg).toContain(`expected "ISL[|ISL_STDDEV],OSL[|OSL_STDDEV]:PERCENT;..."`);
    expect(msg).not.toContain("\n");
  });
});

describe("samplePair", () => {
  test("pairs come with their probabilities; zero-probability pairs never", () => {
    const d = parseSeqDist("100,10:20;200,20:0;300,30:50;400,40:30");
    const u = mulberry32(7);
    const n = 20_000;
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const { isl, osl } = samplePair(u, d);
      expect(osl).toBe(isl / 10);
      counts.set(isl, (counts.get(isl) ?? 0) + 1);
    }
    expect(counts.get(200)).toBeUndefined();
    expect((counts.get(100) ?? 0) / n).toBeCloseTo(0.2, 1);
    expect((counts.get(300) ?? 0) / n).toBeCloseTo(0.5, 1);
    expect((counts.get(400) ?? 0) / n).toBeCloseTo(0.3, 1);
  });

  test("boundaries: u just below a cumulative step picks the pair, at the step the next one; u near 1 the last", () => {
    const d = parseSeqDist("1,1:25;2,2:75");
    const at = (x: number) => samplePair(() => x, d).isl;
    expect([at(0), at(0.2499), at(0.25), at(0.9999999)]).toEqual([1, 1, 2, 2]);
  });

  test("stddevs spread the lengths around the means, never below 1; same seed, same draws", () => {
    const d = parseSeqDist("100|30,5|20:100");
    const draw = (seed: number) => {
      const u = mulberry32(seed);
      return Array.from({ length: 2000 }, () => samplePair(u, d));
    };
    const a = draw(1);
    expect(draw(1)).toEqual(a);
    expect(draw(2)).not.toEqual(a);
    const isls = a.map((p) => p.isl);
    const osls = a.map((p) => p.osl);
    for (const v of [...isls, ...osls]) expect(Number.isInteger(v) && v >= 1).toBe(true);
    const mean = isls.reduce((x, y) => x + y, 0) / isls.length;
    expect(Math.abs(mean - 100)).toBeLessThan(3);
    expect(new Set(isls).size).toBeGreaterThan(50);
    expect(osls.filter((v) => v === 1).length).toBeGreaterThan(100);
  });
});
