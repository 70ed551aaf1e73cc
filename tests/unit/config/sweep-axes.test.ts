import { describe, expect, test } from "bun:test";
import type { FlagValue } from "../../../src/config/flag-spec.ts";
import { expandSweep, paddedValue, SWEEP_AXES, wantsMultiRun } from "../../../src/config/sweep-axes.ts";

describe("expandSweep", () => {
  const CASES: { name: string; raw: Record<string, FlagValue>; type: "grid" | "zip"; dirs: string[]; labels: string[] }[] = [
    { name: "nothing swept: one point without values", raw: { concurrency: "8", isl: "550" }, type: "grid", dirs: [""], labels: [""] },
    {
      name: "one list; spaces allowed; names padded so they sort like the numbers",
      raw: { concurrency: "10, 50,100,200,500" },
      type: "grid",
      dirs: ["concurrency_0010", "concurrency_0050", "concurrency_0100", "concurrency_0200", "concurrency_0500"],
      labels: ["concurrency=10", "concurrency=50", "concurrency=100", "concurrency=200", "concurrency=500"],
    },
    {
      name: "grid: every combination, the flag table's order (isl before concurrency), the first slowest",
      raw: { concurrency: "8,16", isl: "128,1024" },
      type: "grid",
      dirs: ["isl_0128__concurrency_0008", "isl_0128__concurrency_0016", "isl_1024__concurrency_0008", "isl_1024__concurrency_0016"],
      labels: ["isl=128 concurrency=8", "isl=128 concurrency=16", "isl=1024 concurrency=8", "isl=1024 concurrency=16"],
    },
    {
      name: "zip: element by element; a value may repeat in one list",
      raw: { concurrency: "8,16,32", "request-count": "100,100,200" },
      type: "zip",
      dirs: ["concurrency_0008__request_count_0100", "concurrency_0016__request_count_0100", "concurrency_0032__request_count_0200"],
      labels: ["concurrency=8 request-count=100", "concurrency=16 request-count=100", "concurrency=32 request-count=200"],
    },
    {
      name: "rates keep their fraction; wide values widen the padding",
      raw: { "request-rate": "2.5,10,12000" },
      type: "grid",
      dirs: ["request_rate_00002.5", "request_rate_00010", "request_rate_12000"],
      labels: ["request-rate=2.5", "request-rate=10", "request-rate=12000"],
    },
  ];
  test.each(CASES)("$name", ({ raw, type, dirs, labels }) => {
    const e = expandSweep(raw, type);
    expect(e.problems).toEqual([]);
    expect(e.points.map((p) => p.dirName)).toEqual(dirs);
    expect(e.points.map((p) => p.label)).toEqual(labels);
    expect(e.points.map((p) => p.index)).toEqual(dirs.map((_, i) => i));
    expect([...e.points.map((p) => p.dirName)].sort()).toEqual(e.points.map((p) => p.dirName).sort());
  });

  const BAD: { raw: Record<string, FlagValue>; type: "grid" | "zip"; problems: string[] }[] = [
    {
      raw: { concurrency: "8,abc,0" },
      type: "grid",
      problems: [
        '--concurrency 8,abc,0: each value must be a well-formed integer string (was "abc")',
        "--concurrency 8,abc,0: each value must be at least 1 (was 0)",
      ],
    },
    { raw: { isl: "128," }, type: "grid", problems: ["--isl 128,: empty value in the list"] },
    { raw: { concurrency: "8,16,8" }, type: "grid", problems: ["the sweep holds the point concurrency=8 twice; give each value once"] },
    {
      raw: { concurrency: "8,16,32", osl: "64,128" },
      type: "zip",
      problems: ["--sweep-type zip pairs the lists element by element; they differ in length: --osl 2, --concurrency 3"],
    },
  ];
  test.each(BAD)("refused: $raw ($type)", ({ raw, type, problems }) => {
    expect(expandSweep(raw, type).problems).toEqual(problems);
  });

  test("the sweepable flags: the load and workload sizes AIPerf sweeps", () => {
    expect([...SWEEP_AXES].sort()).toEqual(["benchmark-duration", "concurrency", "isl", "num-dataset-entries", "osl", "request-count", "request-rate"]);
  });

  test("paddedValue", () => {
    expect([paddedValue("8", 4), paddedValue("12345", 4), paddedValue("0.25", 4), paddedValue("1e3", 4)]).toEqual(["0008", "12345", "0000.25", "1000"]);
  });
});

describe("wantsMultiRun", () => {
  test.each([
    [{ concurrency: "8" }, [], false],
    [{ concurrency: "8,16" }, ["concurrency"], true],
    [{ "request-rate": "1,2" }, ["requestRate"], true],
    [{ concurrency: "8" }, ["concurrency", "numProfileRuns"], true],
    [{ concurrency: "8" }, ["searchRecipe"], true],
    [{ concurrency: "8" }, ["gpus"], true],
    [{ goodput: ["time_to_first_token:1,5"] }, ["goodput"], false],
  ] as const)("%p given %p -> %p", (values, given, want) => {
    expect(wantsMultiRun(values as Record<string, FlagValue>, new Set(given))).toBe(want);
  });
});
