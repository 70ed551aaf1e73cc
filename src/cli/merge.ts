// `llmbench merge OUT SHARD...`: the shard run directories of one sharded run (--shard-count) become
// one run directory. The work lives in run/merge-runs.ts, loaded only when the command runs.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ark, lazy } from "../config/ark.ts";
import { type FlagSpec, flagsSchema } from "../config/flag-spec.ts";
import { UsageError } from "../runtime/usage-error.ts";
import type { Command } from "./command.ts";
import { resolveRunTargets } from "./run-targets.ts";

const flags = {
  out: {
    type: "positional",
    description: "Directory for the merged run (new or empty; see --overwrite)",
    valueHint: "out",
    required: true,
    schema: lazy(() => ark().type("string > 0")),
  },
  shards: { type: "positional", repeatable: true, description: "The shards' run directories (or their results.duckdb)", valueHint: "shard" },
  "shards-in": {
    type: "string",
    description: "Also merge every run directory directly under this one (each holding results.duckdb; OUT left out)",
    valueHint: "dir",
    schema: lazy(() => ark().type("string > 0")),
  },
  overwrite: { type: "boolean", description: "Replace a non-empty OUT that holds an earlier run", default: false },
} as const satisfies Record<string, FlagSpec>;

const schema = lazy(() => flagsSchema(flags));

/** The run directories directly under `dir` (as paths relative to cwd when inside it), OUT aside. */
function runDirsIn(dir: string, cwd: string, out: string, problems: string[]): string[] {
  const abs = resolve(cwd, dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    problems.push(`--shards-in ${dir}: no such directory`);
    return [];
  }
  const found = readdirSync(abs)
    .map((e) => join(abs, e))
    .filter((p) => p !== out && existsSync(join(p, "results.duckdb")))
    .sort();
  if (found.length === 0) problems.push(`--shards-in ${dir}: holds no run directory (none has a results.duckdb)`);
  return found.map((p) => (p.startsWith(cwd) ? relative(cwd, p) : p));
}

export const mergeCommand: Command = {
  name: "merge",
  description: "Join the shards of a sharded run (--shard-count) into one run: every request, summed histograms, exports recomputed",
  flags,
  examples: [
    "llmbench merge runs/merged runs/shard-0 runs/shard-1 runs/shard-2 runs/shard-3",
    "llmbench merge /results/bench1/merged --shards-in /results/bench1   # as the k8s merge Job runs it",
  ],
  async run({ validate, io }) {
    const m = validate(schema());
    const problems: string[] = [];
    const out = resolve(io.cwd, m.out);
    const shards = [...(m.shards ?? []), ...(m.shardsIn === undefined ? [] : runDirsIn(m.shardsIn, io.cwd, out, problems))];
    if (shards.length === 0 && problems.length === 0) problems.push("<SHARD> is required: the run directories of the shards to merge (or --shards-in)");
    // Each named one on its own, so every file keeps the name it was given (and one named twice is told).
    const inputs = shards.flatMap((label) => {
      const found = resolveRunTargets([label], io.cwd, problems);
      return found.map((dbPath) => ({ label: found.length > 1 ? relative(io.cwd, dirname(dbPath)) : label, dbPath }));
    });
    if (problems.length > 0) throw new UsageError(problems);
    // DuckDB loads (and its native library is extracted) only when a command needs it.
    const { mergeRuns } = await import("../run/merge-runs.ts");
    return mergeRuns(
      {
        out,
        inputs,
        overwrite: m.overwrite,
      },
      io,
    );
  },
};
