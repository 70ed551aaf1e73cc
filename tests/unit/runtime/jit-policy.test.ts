import { afterEach, expect, test } from "bun:test";
import { normalJitPolicy, ONCE_JIT_POLICY, onceJitPolicy } from "../../../src/runtime/jit-policy.ts";

type Unsafe = { setJITPolicy?: (scale: number) => void };
const unsafe = Bun.unsafe as Unsafe;
const original = unsafe.setJITPolicy;
afterEach(() => {
  unsafe.setJITPolicy = original;
});

test("a run's load gets the normal thresholds, its statistics and exports the raised ones again", () => {
  const scales: number[] = [];
  unsafe.setJITPolicy = (scale) => scales.push(scale);
  normalJitPolicy();
  onceJitPolicy();
  expect(scales).toEqual([1, ONCE_JIT_POLICY]);
  expect(ONCE_JIT_POLICY).toBeGreaterThan(1);
});

test("a runtime without the call: nothing happens, nothing throws", () => {
  unsafe.setJITPolicy = undefined;
  expect(() => {
    normalJitPolicy();
    onceJitPolicy();
  }).not.toThrow();
});
