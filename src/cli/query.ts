import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "./command.ts";
import { flagsSchema, type FlagSpec } from "../config/flag-spec.ts";
import { ark, lazy } from "../config/ark.ts";
import { resolveRunTargets } from "./run-targets.ts";
import { renderCsv, renderJson, renderMarkdown, renderTextTable, type ResultSet } from "../report/text-table.ts";
import { UsageError, EXIT_OK } from "../runtime/usage-error.ts";

const flags = {
  runs: { type: "positional", repeatable: true, description: "Run directories (holding results.duckdb) or .duckdb files", valueHint: "run" },
  sql: { type: "positional", description: "SQL to run, read-only (or use --file)", valueHint: "sql", schema: lazy(() => ark().type("string > 0")) },
  file: { type: "string", description: "Read the SQL from this file", valueHint: "q.sql", schema: lazy(() => ark().type("string > 0")) },
  format: {
    type: "string",
    description: "Output: table, csv, json or markdown",
    default: "table",
    valueHint: "table|csv|json|markdown",
    schema: lazy(() => ark().type.enumerated("table", "csv", "json", "markdown")),
  },
  "allow-read": {
    type: "string",
    repeatable: true,
    description: "Let the SQL read this file too (read_csv, read_parquet, ...); repeatable. Otherwise it reads only the runs, and nothing can write",
    valueHint: "file",
  },
} as const satisfies Record<string, FlagSpec>;

const schema = lazy(() => flagsSchema(flags));

// Control characters in values are always escaped in the table and markdown, losslessly in JSON,
// and in CSV only on a terminal (piped CSV keeps the data's bytes).
const RENDER: Record<"table" | "csv" | "json" | "markdown", (rs: ResultSet, toTerminal: boolean) => string> = {
  table: renderTextTable,
  csv: renderCsv,
  json: renderJson,
  markdown: renderMarkdown,
};

/** Each --allow-read file as given and as an absolute path (DuckDB checks the path the SQL names). */
function readablePaths(files: readonly string[], cwd: string, problems: string[]): string[] {
  const paths: string[] = [];
  for (const f of files) {
    const abs = resolve(cwd, f);
    if (!existsSync(abs)) problems.push(`--allow-read ${f}: no such file`);
    else if (statSync(abs).isDirectory()) problems.push(`--allow-read ${f}: is a directory; name each file to read`);
    else paths.push(...new Set([abs, f]));
  }
  return paths;
}

export const queryCommand: Command = {
  name: "query",
  description: "Run SQL over one or more runs' results.duckdb (read-only: only reads run, no file outside the runs is opened)",
  flags,
  examples: [
    'llmbench query artifacts/my-run "select quantile_cont(time_to_first_token, 0.75) as p75_ttft_ms from requests"',
    'llmbench query runs/c8 runs/c16 runs/c32 "select run_id, quantile_cont(inter_token_latency, 0.99) from requests group by run_id" --format csv',
    "llmbench query runs/* --file slo.sql --format markdown",
    "llmbench query runs/c16 \"select * from requests join read_csv('slo.csv') using (model)\" --allow-read slo.csv",
  ],
  async run({ validate, io }) {
    const q = validate(schema());
    const problems: string[] = [];
    let targets = q.runs ?? [];
    let sql = q.sql;
    // `query runs/x` with the SQL forgotten: the lone argument names a path, so it is the run.
    if (targets.length === 0 && sql !== undefined && q.file === undefined && existsSync(resolve(io.cwd, sql))) {
      targets = [sql];
      sql = undefined;
    }
    if (q.file !== undefined) {
      // With --file every positional is a run.
      if (sql !== undefined) targets = [...targets, sql];
      try {
        sql = readFileSync(resolve(io.cwd, q.file), "utf8");
      } catch (e) {
        problems.push(`--file ${q.file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(e)}`);
      }
    }
    if (sql === undefined && q.file === undefined) problems.push("<SQL> is required (or --file)");
    const dbPaths = resolveRunTargets(targets, io.cwd, problems);
    const allowedPaths = readablePaths(q.allowRead ?? [], io.cwd, problems);
    if (problems.length > 0 || sql === undefined) throw new UsageError(problems);
    // DuckDB loads (and its native library is extracted) only once the command line is known to be good.
    const { queryRuns, RefusedSqlError, RunBusyError } = await import("../store/read-db.ts");
    let rs: ResultSet;
    try {
      rs = await queryRuns(dbPaths, sql, { allowedPaths });
    } catch (e) {
      if (e instanceof RunBusyError) throw new Error(e.message); // not bad usage: exit 1
      if (e instanceof RefusedSqlError) {
        throw new UsageError([e.fileAccess ? `${e.message} (the SQL reads only the runs and files named with --allow-read)` : e.message]);
      }
      throw new UsageError([`SQL error: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`]);
    }
    io.out(RENDER[q.format](rs, io.stdoutIsTTY ?? false));
    return EXIT_OK;
  },
};
