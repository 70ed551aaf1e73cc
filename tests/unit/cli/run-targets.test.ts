import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveRunTargets } from "../../../src/cli/run-targets.ts";

let dir = "";
const db = (...p: string[]) => {
  mkdirSync(join(dir, ...p.slice(0, -1)), { recursive: true });
  writeFileSync(join(dir, ...p), "");
  return join(dir, ...p);
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-targets-"));
  db("sweep", "concurrency_0016", "results.duckdb");
  db("sweep", "concurrency_0008", "run_02", "results.duckdb");
  db("sweep", "concurrency_0008", "run_01", "results.duckdb");
  writeFileSync(join(dir, "sweep", "sweep_summary.json"), "{}");
  db("single", "results.duckdb");
  mkdirSync(join(dir, "empty"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("resolveRunTargets", () => {
  test("a run directory is its database; a directory of runs (a sweep's) is every run below it, in path order", () => {
    const problems: string[] = [];
    expect(resolveRunTargets(["single", "sweep"], dir, problems)).toEqual([
      join(dir, "single", "results.duckdb"),
      join(dir, "sweep", "concurrency_0008", "run_01", "results.duckdb"),
      join(dir, "sweep", "concurrency_0008", "run_02", "results.duckdb"),
      join(dir, "sweep", "concurrency_0016", "results.duckdb"),
    ]);
    expect(problems).toEqual([]);
  });

  test("a run named twice (itself and through its sweep) is attached once", () => {
    const problems: string[] = [];
    expect(resolveRunTargets(["sweep/concurrency_0016", "sweep"], dir, problems).length).toBe(3);
  });

  test("a directory without any run, and a missing path, are problems", () => {
    const problems: string[] = [];
    expect(resolveRunTargets(["empty", "nope"], dir, problems)).toEqual([]);
    expect(problems).toEqual(["empty: holds no run (no results.duckdb in it or below it)", "nope: no such run directory or results.duckdb"]);
  });
});
