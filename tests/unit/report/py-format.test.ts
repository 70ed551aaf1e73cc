import { describe, expect, test } from "bun:test";
import { formatFixed2, formatGrouped2 } from "../../../src/report/py-format.ts";

// Expected strings are CPython's f"{v:.2f}" / f"{v:,.2f}".
const FIXED: [number, string][] = [
  [0.125, "0.12"], // exact binary tie: half to even (JS toFixed gives "0.13")
  [0.375, "0.38"],
  [0.625, "0.62"],
  [0.875, "0.88"],
  [-0.125, "-0.12"],
  [1234567.125, "1234567.12"],
  [2.675, "2.67"], // 2.67499999... in binary: no tie
  [1.005, "1.00"],
  [0.045, "0.04"],
  [9.995, "9.99"],
  [99.995, "100.00"],
  [2.5, "2.50"],
  [200, "200.00"],
  [1e-7, "0.00"],
  [-1e-7, "-0.00"],
  [-0, "-0.00"],
  [0, "0.00"],
  [1e21, "1000000000000000000000.00"],
  [1.5e22, "15000000000000000000000.00"],
  [123456789012345678, "123456789012345680.00"],
  [NaN, "nan"],
  [Infinity, "inf"],
  [-Infinity, "-inf"],
];

const GROUPED: [number, string][] = [
  [7463.28, "7,463.28"],
  [13829.4, "13,829.40"],
  [1234567.125, "1,234,567.12"],
  [-1234.5, "-1,234.50"],
  [999.999, "1,000.00"],
  [0.5, "0.50"],
  [100, "100.00"],
  [1e21, "1,000,000,000,000,000,000,000.00"],
  [NaN, "nan"],
];

describe("Python .2f", () => {
  for (const [v, want] of FIXED) test(`${Object.is(v, -0) ? "-0" : v} -> ${want}`, () => expect(formatFixed2(v)).toBe(want));
});

describe("Python ,.2f (console)", () => {
  for (const [v, want] of GROUPED) test(`${v} -> ${want}`, () => expect(formatGrouped2(v)).toBe(want));
});
