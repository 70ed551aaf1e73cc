import { describe, expect, test } from "bun:test";
import {
  ASCII_GLYPHS,
  fitWidth,
  formatClock,
  formatNs,
  formatRate,
  glyphsFor,
  maxOf,
  padWidth,
  progressBar,
  sparkline,
  textWidth,
  UNICODE_GLYPHS,
} from "../../../src/report/live-format.ts";

describe("numbers", () => {
  test.each([
    [0, "0 ns"],
    [999, "999 ns"],
    [1_000, "1.00 µs"],
    [812_000, "812 µs"],
    [999_600, "1.00 ms"],
    [42_100_000, "42.1 ms"],
    [999_700_000, "1.00 s"],
    [1_204_000_000, "1.20 s"],
    [125e9, "125 s"],
  ])("formatNs(%p) = %p", (ns, text) => {
    expect(formatNs(ns)).toBe(text);
  });

  test("ASCII micro sign", () => {
    expect(formatNs(812_000, ASCII_GLYPHS)).toBe("812 us");
  });

  test.each([
    [0, "0.00"],
    [0.5, "0.50"],
    [42.14, "42.1"],
    [240.1, "240"],
    [9999, "9999"],
    [12_345, "12.3k"],
    [123_456, "123k"],
  ])("formatRate(%p) = %p", (x, text) => {
    expect(formatRate(x)).toBe(text);
  });

  test.each([
    [-5, "0 s"],
    [400, "0 s"],
    [12_400, "12 s"],
    [59_400, "59 s"],
    [125_000, "2:05"],
    [3_723_000, "1:02:03"],
  ])("formatClock(%p) = %p", (ms, text) => {
    expect(formatClock(ms)).toBe(text);
  });
});

describe("width", () => {
  test.each([
    ["abc", 3],
    ["µs", 2],
    ["日本", 4],
    ["▁▂█", 3],
  ])("textWidth(%p) = %p", (text, w) => {
    expect(textWidth(text)).toBe(w);
  });

  test.each([
    ["hello world", 20, "hello world"],
    ["hello world", 11, "hello world"],
    ["hello world", 8, "hello w…"],
    ["hello", 1, "…"],
    ["hello", 0, ""],
    ["日本語テキスト", 7, "日本語…"],
  ])("fitWidth(%p, %p) = %p", (text, width, out) => {
    expect(fitWidth(text, width)).toBe(out);
    expect(textWidth(fitWidth(text, width))).toBeLessThanOrEqual(width);
  });

  test("padWidth pads to the width exactly, ASCII ellipsis when cut", () => {
    expect(padWidth("ab", 4)).toBe("ab  ");
    expect(padWidth("abcdef", 4, ASCII_GLYPHS)).toBe("abc~");
  });
});

describe("glyphs", () => {
  test.each([
    ["LANG UTF-8", { LANG: "en_US.UTF-8" }, UNICODE_GLYPHS],
    ["LC_ALL utf8 over LANG", { LC_ALL: "C.utf8", LANG: "C" }, UNICODE_GLYPHS],
    ["LC_ALL C over LANG", { LC_ALL: "C", LANG: "en_US.UTF-8" }, ASCII_GLYPHS],
    ["no locale", {}, ASCII_GLYPHS],
  ])("%s", (_name, env, glyphs) => {
    expect(glyphsFor(env)).toBe(glyphs);
  });
});

describe("bars and sparklines", () => {
  test.each([
    [0, 10, ".........."],
    [0.45, 10, "#####....."],
    [1, 4, "####"],
    [2, 4, "####"],
    [0.5, 0, ""],
  ])("progressBar(%p, %p)", (fraction, width, bar) => {
    expect(progressBar(fraction, width, ASCII_GLYPHS)).toBe(bar);
  });

  test.each([
    // One row: 8 steps, scaled to max; null and 0 are blank; a small positive value is the lowest step.
    [[0, 1, 2, 4, 8, null, 0.01], 10, 1, 8, [" ▁▂▄█ ▁"]],
    // Only the last `width` values.
    [[8, 8, 1, 8], 2, 1, 8, ["▁█"]],
    // Two rows, 16 steps: 8 fills the bottom row, 16 both.
    [[4, 8, 12, 16], 4, 2, 16, ["  ▄█", "▄███"]],
    // Values over max are cut at max.
    [[32], 1, 1, 16, ["█"]],
    // Nothing to scale by.
    [[1, 2], 2, 1, 0, ["  "]],
  ])("sparkline(%p, width %p, rows %p, max %p)", (values, width, rows, max, out) => {
    expect(sparkline(values, width, rows, max, UNICODE_GLYPHS)).toEqual(out);
  });

  test("ASCII levels", () => {
    expect(sparkline([1, 2, 4, 8], 4, 1, 8, ASCII_GLYPHS)).toEqual([".:=@"]);
  });

  test("maxOf skips nulls", () => {
    expect(maxOf([null, 3, 1, null])).toBe(3);
    expect(maxOf([])).toBe(0);
  });
});
