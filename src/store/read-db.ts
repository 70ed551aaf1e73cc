// Read-only access to results.duckdb for `query`, `report` and `export`: the file is never modified.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
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

export async function queryReadOnly(dbPath: string, sql: string): Promise<ResultSet> {
  const instance = await DuckDBInstance.create(dbPath, { access_mode: "READ_ONLY" });
  const conn = await instance.connect();
  try {
    const reader = await conn.runAndReadAll(sql);
    const columns = reader.columnNames();
    const raw = reader.getRows();
    let asJson: unknown[][] | null = null;
    const jsonAt = (r: number, c: number) => () => ((asJson ??= reader.getRowsJson() as unknown[][])[r]![c]);
    const rows = raw.map((row, r) => row.map((v, c) => toCell(v, jsonAt(r, c))));
    return { columns, rows };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
