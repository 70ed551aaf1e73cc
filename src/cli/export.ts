import { existsSync, realpathSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "./command.ts";
import { flagsSchema, type FlagSpec } from "../config/flag-spec.ts";
import { ark, lazy } from "../config/ark.ts";
import { EXPORT_FORMATS, exportTarget } from "./export-format.ts";
import { resolveRunTargets } from "./run-targets.ts";
import { UsageError, EXIT_OK } from "../runtime/usage-error.ts";

const flags = {
  runs: { type: "positional", repeatable: true, description: "Run directories (holding results.duckdb) or .duckdb files", valueHint: "run" },
  table: {
    type: "string",
    description: "Table to export: requests, chunks, runs, ...",
    default: "requests",
    valueHint: "name",
    schema: lazy(() => ark().type(/^[A-Za-z_][A-Za-z0-9_]*$/)),
  },
  format: {
    type: "string",
    description: "parquet, csv, jsonl (one object a line) or json (an array)",
    defaultNote: "from the -o extension, else parquet",
    valueHint: "parquet|csv|jsonl|json",
    schema: lazy(() => ark().type.enumerated(...EXPORT_FORMATS)),
  },
  output: {
    type: "string",
    alias: "o",
    description: "File to write, the only file written (default <table>.<format> here)",
    valueHint: "file",
    schema: lazy(() => ark().type("string > 0")),
  },
} as const satisfies Record<string, FlagSpec>;

const schema = lazy(() => flagsSchema(flags));

const sameFile = (a: string, b: string): boolean => a === b || (existsSync(a) && realpathSync(a) === realpathSync(b));

export const exportCommand: Command = {
  name: "export",
  description: "Write a table of one or more runs to Parquet, CSV or JSON (for pandas, polars, spreadsheets)",
  flags,
  examples: [
    "llmbench export artifacts/my-run                      # requests.parquet",
    "llmbench export runs/c8 runs/c16 --table chunks -o chunks.csv",
    "llmbench export runs/c8 --table runs -o runs.jsonl",
  ],
  async run({ validate, io }) {
    // DuckDB loads (and its native library is extracted) only when a command needs it.
    const { exportTable, RunBusyError } = await import("../store/read-db.ts");
    const e = validate(schema());
    const problems: string[] = [];
    const dbPaths = resolveRunTargets(e.runs ?? [], io.cwd, problems);
    const target = exportTarget(e.table, e.format, e.output);
    if ("problem" in target) problems.push(target.problem);
    const out = resolve(io.cwd, "output" in target ? target.output : (e.output ?? ""));
    // The runs are opened read-only, but -o could still name one of their files.
    if (dbPaths.some((db) => sameFile(out, db) || out.startsWith(`${db}.`))) problems.push(`-o ${e.output}: that is a run's database; write elsewhere`);
    if (problems.length > 0 || !("format" in target)) throw new UsageError(problems);
    let rows: number;
    try {
      rows = await exportTable(dbPaths, e.table, out, target.format);
    } catch (err) {
      if (err instanceof RunBusyError) throw new Error(err.message); // not bad usage: exit 1
      const msg = (err instanceof Error ? err.message : String(err)).split("\n")[0];
      throw new UsageError([msg?.startsWith("no table") ? `--table ${e.table}: ${msg}` : `-o ${out}: ${msg}`]);
    }
    io.err(`wrote ${rows} rows of ${e.table} to ${out}\n`);
    return EXIT_OK;
  },
};
