// `llmbench plot DIR...`: report.html and PNG charts for a run, a sweep, or several runs side by side.
import type { Command } from "./command.ts";
import { flagsSchema, type FlagSpec } from "../config/flag-spec.ts";
import { ark, lazy } from "../config/ark.ts";
import { EXIT_OK, UsageError } from "../runtime/usage-error.ts";

const flags = {
  dirs: {
    type: "positional",
    repeatable: true,
    description: "A run directory (or results.duckdb), a sweep directory (runs in its subdirectories), or several runs to compare",
    valueHint: "dir",
  },
  output: {
    type: "string",
    alias: "o",
    description: "Directory to write report.html and plots/*.png into",
    defaultNote: "the run or sweep directory; for several runs, their common parent",
    valueHint: "dir",
    schema: lazy(() => ark().type("string > 0")),
  },
  png: { type: "boolean", description: "Write PNG files of the charts too (--no-png: only report.html)", default: true },
} as const satisfies Record<string, FlagSpec>;

const schema = lazy(() => flagsSchema(flags));

export const plotCommand: Command = {
  name: "plot",
  description: "Write report.html (self-contained, opens offline) and PNG charts for a run, a sweep, or several runs compared",
  flags,
  examples: [
    "llmbench plot artifacts/my-run",
    "llmbench plot runs/sweep",
    "llmbench plot runs/c8 runs/c16 -o runs/compare",
    "llmbench profile -m my-model --streaming --concurrency 8,32,128 --gpus 8 --auto-plot --artifact-dir runs/sweep",
  ],
  async run({ validate, io }) {
    const p = validate(schema());
    // DuckDB and the chart code load only when the command runs (--help stays fast).
    const { findRuns } = await import("../plot/run-set.ts");
    const problems: string[] = [];
    const set = findRuns(p.dirs ?? [], io.cwd, problems, p.output);
    if (set === null) throw new UsageError(problems);
    const { plotAndSay } = await import("../plot/plot-and-say.ts");
    await plotAndSay(set, io, { png: p.png });
    return EXIT_OK;
  },
};
