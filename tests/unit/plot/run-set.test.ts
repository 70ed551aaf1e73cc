import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findRuns, type RunSet } from "../../../src/plot/run-set.ts";

let root = "";
const run = (rel: string) => {
  mkdirSync(join(root, rel), { recursive: true });
  writeFileSync(join(root, rel, "results.duckdb"), "");
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "llmbench-runset-"));
  run("one");
  for (const c of ["concurrency_0010", "concurrency_0002"]) for (const r of ["run_01", "run_02"]) run(`sweep/${c}/${r}`);
  run("flat/a");
  run("flat/b");
  mkdirSync(join(root, "flat", ".hidden"), { recursive: true });
  run("x/run");
  run("y/run");
  mkdirSync(join(root, "empty"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const find = (targets: string[], out?: string): { set: RunSet | null; problems: string[] } => {
  const problems: string[] = [];
  return { set: findRuns(targets, root, problems, out), problems };
};

describe("findRuns", () => {
  test("a run directory: single, report in it", () => {
    const { set } = find(["one"]);
    expect(set?.mode).toBe("single");
    expect(set?.outDir).toBe(join(root, "one"));
  });

  test("a results.duckdb file: single, report beside it", () => {
    const { set } = find(["one/results.duckdb"]);
    expect(set?.mode === "single" && set.run.dbPath).toBe(join(root, "one", "results.duckdb"));
    expect(set?.outDir).toBe(join(root, "one"));
  });

  test("a sweep: runs in path order, repeats share their point", () => {
    const { set } = find(["sweep"]);
    expect(set?.mode).toBe("sweep");
    const runs = set?.mode === "sweep" ? set.runs : [];
    expect(runs.map((r) => [r.label, r.point])).toEqual([
      ["concurrency_0002/run_01", "concurrency_0002"],
      ["concurrency_0002/run_02", "concurrency_0002"],
      ["concurrency_0010/run_01", "concurrency_0010"],
      ["concurrency_0010/run_02", "concurrency_0010"],
    ]);
    expect(set?.outDir).toBe(join(root, "sweep"));
  });

  test("a flat sweep: each run its own point", () => {
    const { set } = find(["flat"]);
    expect(set?.mode === "sweep" && set.runs.map((r) => r.point)).toEqual(["a", "b"]);
  });

  test("several runs: a comparison written to their common parent (or -o)", () => {
    expect(find(["flat/a", "flat/b"]).set?.outDir).toBe(join(root, "flat"));
    const { set } = find(["flat/a", "one"], "cmp");
    expect(set?.mode).toBe("compare");
    expect(set?.outDir).toBe(join(root, "cmp"));
  });

  test("two runs with the same directory name get their paths as labels", () => {
    const { set } = find(["x/run", "y/run"]);
    expect(set?.mode === "compare" && set.runs.map((r) => r.label)).toEqual(["run", "y/run"]);
  });

  test.each([
    [[], "<DIR> is required"],
    [["missing"], "missing: no such directory or file"],
    [["empty"], "empty: holds no results.duckdb"],
    [["one/results.duckdb", "missing"], "missing: no such directory or file"],
  ])("%j: refused", (targets, problem) => {
    const { set, problems } = find(targets);
    expect(set).toBeNull();
    expect(problems.length).toBe(1);
    expect(problems[0]).toContain(problem);
  });
});
