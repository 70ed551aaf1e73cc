import { expect, test } from "bun:test";
import { memoizedCounter } from "../../../src/client/piece-counter.ts";

test("memoized counts equal the inner counter's and call it once per distinct short piece", () => {
  let calls = 0;
  const inner = { count: (t: string) => (calls++, t.split(" ").length - 1) };
  const c = memoizedCounter(inner);
  for (let i = 0; i < 100; i++) expect(c.count(" the of")).toBe(2);
  expect(calls).toBe(1);
  const long = " word".repeat(40); // longer than the memo's piece limit: always counted
  expect(c.count(long)).toBe(40);
  expect(c.count(long)).toBe(40);
  expect(calls).toBe(3);
});

test("the memo stays bounded", () => {
  let calls = 0;
  const c = memoizedCounter({ count: (t) => (calls++, t.length) });
  for (let i = 0; i < 70_000; i++) c.count(`p${i}`);
  expect(c.count("p1")).toBe(2); // dropped with the full map, counted again
  expect(calls).toBe(70_001);
});
