// Run directories / .duckdb files named on the command line -> database paths, with a problem line
// for each one that is not there.
import { resolve } from "node:path";
import { resolveDbPath } from "../store/db-path.ts";

export function resolveRunTargets(targets: readonly string[], cwd: string, problems: string[]): string[] {
  if (targets.length === 0) problems.push("<RUNS> is required: a run directory or results.duckdb");
  const paths: string[] = [];
  for (const t of targets) {
    const p = resolveDbPath(resolve(cwd, t));
    if (p === null) problems.push(`${t}: no such run directory or results.duckdb`);
    else paths.push(p);
  }
  return paths;
}
