import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
export { resolveDbPath } from "./db-path.ts";
import { DuckDBInstance, StatementType, type DuckDBConnection, type DuckDBPreparedStatement } from "@duckdb/node-api";
import type { Cell, ResultSet } from "../report/text-table.ts";
import { sqlIdent, sqlString } from "./sql-text.ts";

/** A run's database is held open for writing by another process (a run still going). */
export class RunBusyError extends Error {
  constructor(readonly dbPath: string) {
    super(`${dbPath} is still being written by a running benchmark (DuckDB locks it); query it when that run has finished`);
    this.name = "RunBusyError";
  }
}

/** The SQL holds a statement that is not a read, or touched a file outside the runs: refused. */
export class RefusedSqlError extends Error {
  constructor(
    message: string,
    /** True when DuckDB refused to open a file (the caller may name files to allow). */
    readonly fileAccess = false,
  ) {
    super(message);
    this.name = "RefusedSqlError";
  }
}

/** Primitive values as they are (BIGINT as a number when exact); other types in their JSON form. */
function toCell(v: unknown, json: () => unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  const j = json();
  return typeof j === "string" || typeof j === "number" || typeof j === "boolean" || j === null ? j : JSON.stringify(j);
}

const sqlList = (items: readonly string[]): string => `[${items.map(sqlString).join(", ")}]`;

/** Attaches every file read-only and creates one view per table found in any of them. */
async function attachRuns(conn: DuckDBConnection, dbPaths: readonly string[]): Promise<void> {
  const tables = new Map<string, string[]>(); // table -> aliases holding it
  for (const [i, path] of dbPaths.entries()) {
    const alias = `run${i}`;
    try {
      await conn.run(`ATTACH ${sqlString(path)} AS ${alias} (READ_ONLY)`);
    } catch (e) {
      if (/Could not set lock on file/i.test(e instanceof Error ? e.message : String(e))) throw new RunBusyError(path);
      throw e;
    }
    const reader = await conn.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE database_name = ${sqlString(alias)} AND schema_name = 'main'`);
    for (const [name] of reader.getRows()) {
      const list = tables.get(String(name)) ?? [];
      list.push(alias);
      tables.set(String(name), list);
    }
  }
  // Table names come from the files, which may come from anyone: quoted, never spliced.
  for (const [table, aliases] of tables) {
    const union = aliases.map((a) => `SELECT * FROM ${a}.main.${sqlIdent(table)}`).join(" UNION ALL BY NAME ");
    await conn.run(`CREATE VIEW ${sqlIdent(table)} AS ${union}`);
  }
}

/**
 * After the runs are attached: no file but the runs and `allowedPaths` can be opened, no extension
 * installed or loaded, and no setting changed again (SET, RESET and PRAGMA fail from here on).
 */
async function lockDown(conn: DuckDBConnection): Promise<void> {
  await conn.run("SET enable_external_access = false");
  await conn.run("SET lock_configuration = true");
}

/** Settings fixed when the instance is created, before anything is attached. */
function instanceOptions(): Record<string, string> {
  return {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
    allow_community_extensions: "false",
    // Spill files go to a private dir in the OS temp dir, never `.tmp` in the working dir (maybe a run dir).
    temp_directory: join(tmpdir(), `llmbench-query-${process.pid}-${Math.random().toString(36).slice(2)}`),
  };
}

export interface RunAccess {
  /** Files (absolute paths) the SQL may read besides the runs. */
  allowedPaths?: readonly string[];
}

/** Runs `fn` on an in-memory connection with the runs attached read-only as views, locked down. */
async function withRuns<T>(dbPaths: readonly string[], access: RunAccess, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(":memory:", instanceOptions());
  const conn = await instance.connect();
  try {
    // allowed_paths can only be set while external access is still on.
    if (access.allowedPaths?.length) await conn.run(`SET allowed_paths = ${sqlList(access.allowedPaths)}`);
    await attachRuns(conn, dbPaths);
    await lockDown(conn);
    return await fn(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export type ExportFormat = "parquet" | "csv" | "jsonl" | "json";

const COPY_OPTIONS: Record<ExportFormat, string> = {
  parquet: "FORMAT parquet",
  csv: "FORMAT csv, HEADER true",
  jsonl: "FORMAT json",
  json: "FORMAT json, ARRAY true",
};

/** Writes one table (over all the runs) to `outPath`; returns the rows written. Nothing else is writable. */
export async function exportTable(dbPaths: readonly string[], table: string, outPath: string, format: ExportFormat): Promise<number> {
  // Replacing a file, DuckDB writes tmp_<name> beside it, then renames: the only other path allowed.
  const tmpPath = join(dirname(outPath), `tmp_${basename(outPath)}`);
  return withRuns(dbPaths, { allowedPaths: [outPath, tmpPath] }, async (conn) => {
    const known = await conn.runAndReadAll(`SELECT count(*) FROM duckdb_views() WHERE view_name = ${sqlString(table)} AND NOT internal`);
    if (Number(known.getRows()[0]![0]) === 0) throw new Error(`no table "${table}" in the run(s)`);
    await conn.run(`COPY (SELECT * FROM ${sqlIdent(table)}) TO ${sqlString(outPath)} (${COPY_OPTIONS[format]})`);
    const n = await conn.runAndReadAll(`SELECT count(*) FROM ${sqlIdent(table)}`);
    return Number(n.getRows()[0]![0]);
  });
}

/** Statement kinds that only read: SELECT covers WITH, FROM, VALUES, SHOW, DESCRIBE, SUMMARIZE, PRAGMA show_*. */
const READ_STATEMENTS: ReadonlySet<StatementType> = new Set([StatementType.SELECT]);

// Table functions that change the session though called from a SELECT, past lock_configuration:
// logging to files (with file access off, DuckDB then aborts the process on its next log flush),
// profiling printed over the output. Matched in the text, before DuckDB binds (and so runs) them;
// so are the functions that run SQL built from strings at run time, which the text would not show.
const SESSION_CHANGING = /\b(enable_logging|disable_logging|truncate_duckdb_logs|enable_profiling|disable_profiling|enable_peg_parser|disable_peg_parser)\b/i;
const SQL_FROM_STRINGS = /\b(query|json_execute_serialized_sql)\s*\(/i;

/** Prepares every statement first and refuses the whole SQL if any one is not a read. */
async function prepareReadOnly(conn: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement[]> {
  const changing = SESSION_CHANGING.exec(sql);
  if (changing) throw new RefusedSqlError(`refused: ${changing[1]}() changes DuckDB's session; only reads run here`);
  const indirect = SQL_FROM_STRINGS.exec(sql);
  if (indirect) throw new RefusedSqlError(`refused: ${indirect[1]}() runs SQL built from a string; write the SQL itself`);
  let extracted: Awaited<ReturnType<DuckDBConnection["extractStatements"]>>;
  try {
    extracted = await conn.extractStatements(sql);
  } catch (e) {
    // A parse error carries DuckDB's message; SQL with no statement at all (only comments) does not.
    const msg = (e instanceof Error ? e.message : String(e)).replace(/^Failed to extract statements: /, "");
    throw msg.includes("Error in native callback") ? new RefusedSqlError("no SQL statement given") : new Error(msg);
  }
  const prepared: DuckDBPreparedStatement[] = [];
  for (let i = 0; i < extracted.count; i++) {
    const p = await extracted.prepare(i);
    if (!READ_STATEMENTS.has(p.statementType)) {
      const kind = StatementType[p.statementType] ?? String(p.statementType);
      const which = extracted.count > 1 ? `statement ${i + 1} is ${kind}` : `the statement is ${kind}`;
      throw new RefusedSqlError(`refused: ${which}; only reads run here (SELECT, WITH, FROM, VALUES, SHOW, DESCRIBE, SUMMARIZE)`);
    }
    prepared.push(p);
  }
  return prepared;
}

/** Runs read-only SQL on a connection that has the runs attached; the last statement's rows. */
async function readQuery(conn: DuckDBConnection, sql: string): Promise<ResultSet> {
  let reader = null;
  try {
    const prepared = await prepareReadOnly(conn, sql);
    for (const p of prepared) reader = await p.runAndReadAll(); // like DuckDB: the last statement's result
  } catch (e) {
    throw asRefusal(e);
  }
  const columns = reader!.columnNames();
  const raw = reader!.getRows();
  let asJson: unknown[][] | null = null;
  const jsonAt = (r: number, c: number) => () => (asJson ??= reader!.getRowsJson() as unknown[][])[r]![c];
  const rows = raw.map((row, r) => row.map((v, c) => toCell(v, jsonAt(r, c))));
  return { columns, rows };
}

export async function queryRuns(dbPaths: readonly string[], sql: string, access: RunAccess = {}): Promise<ResultSet> {
  return withRuns(dbPaths, access, (conn) => readQuery(conn, sql));
}

/** Many read-only queries over the runs, attached once (as queryRuns does for one). */
export async function withRunsQuery<T>(dbPaths: readonly string[], fn: (query: (sql: string) => Promise<ResultSet>) => Promise<T>): Promise<T> {
  return withRuns(dbPaths, {}, (conn) => fn((sql) => readQuery(conn, sql)));
}

/** DuckDB's "file system operations are disabled" becomes a refusal. */
function asRefusal(e: unknown): unknown {
  if (e instanceof RefusedSqlError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (/file system operations are disabled by configuration/.test(msg)) return new RefusedSqlError(`refused: ${msg.split("\n")[0]}`, true);
  return e;
}

/** One run's database (kept for callers that read a single file). */
export function queryReadOnly(dbPath: string, sql: string): Promise<ResultSet> {
  return queryRuns([dbPath], sql);
}
