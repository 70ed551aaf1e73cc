// Where a run's database is, without loading DuckDB (the CLI resolves targets before it needs it).
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";

/** A run directory or a .duckdb file -> the database path, or null when there is none. */
export function resolveDbPath(target: string): string | null {
  if (!existsSync(target)) return null;
  if (statSync(target).isDirectory()) {
    const p = join(target, "results.duckdb");
    return existsSync(p) ? p : null;
  }
  return target;
}
