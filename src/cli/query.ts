import { type } from "arktype";
import type { Command } from "./command.ts";
import type { FlagsDef } from "./flag-spec.ts";
import { queryReadOnly, resolveDbPath } from "../store/read-db.ts";
import { renderCsv, renderJson, renderMarkdown, renderTextTable, type ResultSet } from "../report/text-table.ts";
import { UsageError, EXIT_OK } from "./usage-error.ts";
import { resolve } from "node:path";

const flags: FlagsDef = {
  run: { type: "positional", description: "Run directory (holding results.duckdb) or a .duckdb file", valueHint: "path" },
  sql: { type: "positional", description: "SQL to run (read-only)", valueHint: "sql" },
  format: { type: "string", description: "Output: table, csv, json or markdown", default: "table", valueHint: "table|csv|json|markdown" },
};

const schema = type({
  run: "string > 0",
  sql: "string > 0",
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
  description: "Run SQL over a run's results.duckdb (read-only)",
  flags,
  examples: [
    'llmbench query artifacts/my-run "select count(*), avg(time_to_first_token) from requests"',
    'llmbench query artifacts/my-run "select quantile_cont(time_to_first_token, 0.75) as p75_ttft_ms from requests" --format csv',
  ],
  async run({ validate, io }) {
    const q = validate(schema);
    const dbPath = resolveDbPath(resolve(io.cwd, q.run));
    if (dbPath === null) throw new UsageError([`${q.run}: no such run directory or results.duckdb`]);
    let rs: ResultSet;
    try {
      rs = await queryReadOnly(dbPath, q.sql);
    } catch (e) {
      throw new UsageError([`SQL error: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`]);
    }
    io.out(RENDER[q.format](rs));
    return EXIT_OK;
  },
};
