// Where a run's database is, without loading DuckDB (the CLI resolves targets before it needs it).
import { type Dirent, existsSync, readdirSync, statSync } from "node:fs";
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

/** Every run database below `dir` (a sweep's directory holds one run per point and repeat), in path order. */
export function runDbsBelow(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      // A folder below that vanished or cannot be read (a busy /tmp) holds no run we can use.
      if (d !== dir) return;
      throw e;
    }
    for (const e of entries) {
      if (e.isFile() && e.name === "results.duckdb") found.push(join(d, e.name));
      else if (e.isDirectory()) walk(join(d, e.name));
    }
  };
  walk(dir);
  return found;
}
