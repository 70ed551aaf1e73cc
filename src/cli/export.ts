import { resolve } from "node:path";
import { type } from "arktype";
import type { Command } from "./command.ts";
import type { FlagsDef } from "../config/flag-spec.ts";
import { exportTable } from "../store/read-db.ts";
import { resolveRunTargets } from "./run-targets.ts";
import { UsageError, EXIT_OK } from "../runtime/usage-error.ts";

const flags: FlagsDef = {
  runs: { type: "positional", repeatable: true, description: "Run directories (holding results.duckdb) or .duckdb files", valueHint: "run" },
  table: { type: "string", description: "Table to export: requests, chunks, runs, ...", default: "requests", valueHint: "name" },
  format: { type: "string", description: "parquet or csv", default: "parquet", valueHint: "parquet|csv" },
  output: { type: "string", alias: "o", description: "File to write (default <table>.<format> here)", valueHint: "file" },
};

const schema = type({
  "runs?": "string[]",
  table: /^[A-Za-z_][A-Za-z0-9_]*$/,
  format: "'parquet' | 'csv'",
  "output?": "string > 0",
});

export const exportCommand: Command = {
  name: "export",
  description: "Write a table of one or more runs to Parquet or CSV (for pandas, polars, spreadsheets)",
  flags,
  examples: [
    "llmbench export artifacts/my-run                      # requests.parquet",
    "llmbench export runs/c8 runs/c16 --table chunks --format csv -o chunks.csv",
  ],
  async run({ validate, io }) {
    const e = validate(schema);
    const problems: string[] = [];
    const dbPaths = resolveRunTargets(e.runs ?? [], io.cwd, problems);
    if (problems.length > 0) throw new UsageError(problems);
    const out = resolve(io.cwd, e.output ?? `${e.table}.${e.format}`);
    let rows: number;
    try {
      rows = await exportTable(dbPaths, e.table, out, e.format);
    } catch (err) {
      throw new UsageError([`--table ${e.table}: ${(err instanceof Error ? err.message : String(err)).split("\n")[0]}`]);
    }
    io.err(`wrote ${rows} rows of ${e.table} to ${out}\n`);
    return EXIT_OK;
  },
};
