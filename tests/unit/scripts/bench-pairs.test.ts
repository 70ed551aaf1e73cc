// An arm's added variables, as the paired benches and late-chunks read them; the order a round runs its arms in.
import { describe, expect, test } from "bun:test";
import { envOf, pairOrder } from "../../../scripts/bench-pairs.ts";

describe("envOf", () => {
  test("KEY=VALUE pairs split on spaces; a value keeps its own '='", () => {
    expect(envOf(" A=1  B=x=y ", "BENCH_ENV")).toEqual({ A: "1", B: "x=y" });
    expect(envOf("", "BENCH_ENV")).toEqual({});
  });
  test("anything not KEY=VALUE is refused, naming the variable", () => {
    expect(() => envOf("A=1 oops", "BENCH_B_ENV")).toThrow("BENCH_B_ENV: expected KEY=VALUE, got oops");
    expect(() => envOf("=1", "BENCH_ENV")).toThrow("BENCH_ENV: expected KEY=VALUE, got =1");
  });
});

describe("pairOrder", () => {
  test("each arm runs first in every other round", () => {
    const arms = ["this", "B"] as const;
    const firsts = Array.from({ length: 6 }, (_, round) => pairOrder(arms, round)[0]);
    expect(firsts).toEqual(["this", "B", "this", "B", "this", "B"]);
    expect(pairOrder(arms, 1)).toEqual(["B", "this"]);
    expect(arms).toEqual(["this", "B"]); // the caller's list is left as it is
  });
});
