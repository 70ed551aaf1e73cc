// Run directories / .duckdb files named on the command line -> database paths, with a problem line
// for each one that is not there. A directory without its own results.duckdb (a sweep's) stands for
// every run below it.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { resolveDbPath, runDbsBelow } from "../store/db-path.ts";

export function resolveRunTargets(targets: readonly string[], cwd: string, problems: string[]): string[] {
  if (targets.length === 0) problems.push("<RUNS> is required: a run directory or results.duckdb");
  const paths: string[] = [];
  for (const t of targets) {
    const abs = resolve(cwd, t);
    const p = resolveDbPath(abs);
    if (p !== null) paths.push(p);
    else if (existsSync(abs) && statSync(abs).isDirectory()) {
      const below = runDbsBelow(abs);
      if (below.length === 0) problems.push(`${t}: holds no run (no results.duckdb in it or below it)`);
      paths.push(...below);
    } else problems.push(`${t}: no such run directory or results.duckdb`);
  }
  return [...new Set(paths)];
}
