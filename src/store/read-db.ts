// Read-only access to results.duckdb for `query`, `report` and `export`: files are ATTACHed
// READ_ONLY into an in-memory database, so nothing a query does can change a run. Several runs
// appear as one set of views (runs, requests, chunks, ...) over all of them, each row keeping its
// run_id, so a sweep is one query.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { Cell, ResultSet } from "../report/text-table.ts";

/** A run directory or a .duckdb file -> the database path, or null when there is none. */
export function resolveDbPath(target: string): string | null {
  if (!existsSync(target)) return null;
  if (statSync(target).isDirectory()) {
    const p = join(target, "results.duckdb");
    return existsSync(p) ? p : null;
  }
  return target;
}

/** Primitive values as they are (BIGINT as a number when exact); other types in their JSON form. */
function toCell(v: unknown, json: () => unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  const j = json();
  return typeof j === "string" || typeof j === "number" || typeof j === "boolean" || j === null ? j : JSON.stringify(j);
}

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Attaches every file read-only and creates one view per table found in any of them. */
async function attachRuns(conn: DuckDBConnection, dbPaths: readonly string[]): Promise<void> {
  const tables = new Map<string, string[]>(); // table -> aliases holding it
  for (const [i, path] of dbPaths.entries()) {
    const alias = `run${i}`;
    await conn.run(`ATTACH ${sqlString(path)} AS ${alias} (READ_ONLY)`);
    const reader = await conn.runAndReadAll(
      `SELECT table_name FROM duckdb_tables() WHERE database_name = ${sqlString(alias)} AND schema_name = 'main'`,
    );
    for (const [name] of reader.getRows()) {
      const list = tables.get(String(name)) ?? [];
      list.push(alias);
      tables.set(String(name), list);
    }
  }
  for (const [table, aliases] of tables) {
    const union = aliases.map((a) => `SELECT * FROM ${a}.main."${table}"`).join(" UNION ALL BY NAME ");
    await conn.run(`CREATE VIEW "${table}" AS ${union}`);
  }
}

/** Runs `fn` on an in-memory connection with the runs attached read-only as views. */
async function withRuns<T>(dbPaths: readonly string[], fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    await attachRuns(conn, dbPaths);
    return await fn(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export type ExportFormat = "parquet" | "csv";

/** Writes one table (over all the runs) to a Parquet or CSV file; returns the rows written. */
export async function exportTable(dbPaths: readonly string[], table: string, outPath: string, format: ExportFormat): Promise<number> {
  return withRuns(dbPaths, async (conn) => {
    const known = await conn.runAndReadAll(`SELECT count(*) FROM duckdb_views() WHERE view_name = ${sqlString(table)} AND NOT internal`);
    if (Number(known.getRows()[0]![0]) === 0) throw new Error(`no table "${table}" in the run(s)`);
    const opts = format === "parquet" ? "FORMAT parquet" : "FORMAT csv, HEADER true";
    await conn.run(`COPY (SELECT * FROM "${table.replace(/"/g, '""')}") TO ${sqlString(outPath)} (${opts})`);
    const n = await conn.runAndReadAll(`SELECT count(*) FROM "${table.replace(/"/g, '""')}"`);
    return Number(n.getRows()[0]![0]);
  });
}

export async function queryRuns(dbPaths: readonly string[], sql: string): Promise<ResultSet> {
  return withRuns(dbPaths, async (conn) => {
    const reader = await conn.runAndReadAll(sql);
    const columns = reader.columnNames();
    const raw = reader.getRows();
    let asJson: unknown[][] | null = null;
    const jsonAt = (r: number, c: number) => () => ((asJson ??= reader.getRowsJson() as unknown[][])[r]![c]);
    const rows = raw.map((row, r) => row.map((v, c) => toCell(v, jsonAt(r, c))));
    return { columns, rows };
  });
}

/** One run's database (kept for callers that read a single file). */
export function queryReadOnly(dbPath: string, sql: string): Promise<ResultSet> {
  return queryRuns([dbPath], sql);
}
