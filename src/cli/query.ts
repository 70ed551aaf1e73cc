import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type } from "arktype";
import type { Command } from "./command.ts";
import type { FlagsDef } from "../config/flag-spec.ts";
import { queryRuns } from "../store/read-db.ts";
import { resolveRunTargets } from "./run-targets.ts";
import { renderCsv, renderJson, renderMarkdown, renderTextTable, type ResultSet } from "../report/text-table.ts";
import { UsageError, EXIT_OK } from "../runtime/usage-error.ts";

const flags: FlagsDef = {
  runs: { type: "positional", repeatable: true, description: "Run directories (holding results.duckdb) or .duckdb files", valueHint: "run" },
  sql: { type: "positional", required: false, description: "SQL to run, read-only (or use --file)", valueHint: "sql" },
  file: { type: "string", description: "Read the SQL from this file", valueHint: "q.sql" },
  format: { type: "string", description: "Output: table, csv, json or markdown", default: "table", valueHint: "table|csv|json|markdown" },
};

const schema = type({
  "runs?": "string[]",
  "sql?": "string > 0",
  "file?": "string > 0",
  format: "'table' | 'csv' | 'json' | 'markdown'",
});

const RENDER: Record<typeof schema.infer.format, (rs: ResultSet) => string> = {
  table: renderTextTable,
  csv: renderCsv,
  json: renderJson,
  markdown: renderMarkdown,
};

export const queryCommand: Command = {
  name: "query",
  description: "Run SQL over one or more runs' results.duckdb (read-only)",
  flags,
  examples: [
    'llmbench query artifacts/my-run "select quantile_cont(time_to_first_token, 0.75) as p75_ttft_ms from requests"',
    'llmbench query runs/c8 runs/c16 runs/c32 "select run_id, quantile_cont(inter_token_latency, 0.99) from requests group by run_id" --format csv',
    "llmbench query runs/* --file slo.sql --format markdown",
  ],
  async run({ validate, io }) {
    const q = validate(schema);
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
    if (problems.length > 0 || sql === undefined) throw new UsageError(problems);
    let rs: ResultSet;
    try {
      rs = await queryRuns(dbPaths, sql);
    } catch (e) {
      throw new UsageError([`SQL error: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`]);
    }
    io.out(RENDER[q.format](rs));
    return EXIT_OK;
  },
};
