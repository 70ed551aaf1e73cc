// The run's artifact directory: a finished run is never replaced by accident. A new or empty directory
// is used as it is; a non-empty one is refused unless --overwrite, which replaces it whole (and only
// when it holds an earlier run, so a typo cannot wipe an unrelated directory).
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

/** Files that mark a directory as an llmbench (or AIPerf) run. */
export const RUN_MARKERS = ["results.duckdb", "profile_export.jsonl", "profile_export_aiperf.json", "logs"];

/** Why `dir` cannot take a new run, or null when it can (checked before anything is sent). */
export function artifactDirProblem(dir: string, overwrite: boolean, markers: readonly string[] = RUN_MARKERS): string | null {
  if (!existsSync(dir)) return null;
  if (!statSync(dir).isDirectory()) return `--artifact-dir ${dir}: exists and is not a directory`;
  const entries = readdirSync(dir);
  if (entries.length === 0) return null;
  if (!overwrite) return `--artifact-dir ${dir}: not empty (it holds an earlier run); choose a new directory, or add --overwrite to replace it`;
  if (!entries.some((e) => markers.includes(e))) return `--artifact-dir ${dir}: not empty and holds no earlier run; --overwrite replaces only run directories`;
  return null;
}

/** Creates the directory (and logs/), emptying it first when --overwrite was checked above. */
export function createArtifactDir(dir: string, overwrite: boolean): void {
  if (overwrite && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "logs"), { recursive: true });
}
