// SQL text helpers and cell readers shared by the plot queries. Every query aggregates in DuckDB
// (bins, quantiles, per-bucket statistics, sampled points), so a million-request run sends back a
// few thousand numbers, never its rows.
import type { Slo } from "../metrics/goodput.ts";
import type { Cell, ResultSet } from "../report/text-table.ts";
import { sqlIdent, sqlString } from "../store/sql-text.ts";

/** Runs one read-only SQL statement over the run(s). */
export type Query = (sql: string) => Promise<ResultSet>;

export { sqlString };
export const ident = sqlIdent;
/** A finite number as SQL (never NaN or Infinity, which would not parse). */
export const sqlNum = (x: number): string => {
  if (!Number.isFinite(x)) throw new Error(`not a finite number: ${x}`);
  return `${x}::DOUBLE`;
};

export const PROFILING = `"phase" = 'profiling'`;
/** A request that succeeded: no error and not cancelled (the statistics' rule). */
export const VALID = `("error_type" IS NULL AND NOT coalesce("cancelled", false))`;

/** SQL that is true when a valid request met every SLO whose column the run has; null without SLOs. */
export function goodSql(slos: readonly Slo[], columns: ReadonlySet<string>): string | null {
  const usable = slos.filter((s) => columns.has(s.tag));
  if (usable.length === 0) return null;
  return `(${VALID} AND ${usable.map((s) => `coalesce(${ident(s.tag)} ${s.op} ${sqlNum(s.displayValue)}, false)`).join(" AND ")})`;
}

export function num(c: Cell | undefined): number | null {
  if (c === null || c === undefined) return null;
  const v = typeof c === "number" ? c : Number(c);
  return Number.isFinite(v) ? v : null;
}

export const num0 = (c: Cell | undefined): number => num(c) ?? 0;

/** A LIST or STRUCT cell (it arrives as JSON text) parsed; numbers inside may be strings. */
export function jsonCell<T>(c: Cell | undefined): T | null {
  if (c === null || c === undefined) return null;
  if (typeof c !== "string") return c as T;
  try {
    return JSON.parse(c) as T;
  } catch {
    return null;
  }
}

export function numList(c: Cell | undefined): number[] {
  const v = jsonCell<unknown[]>(c);
  return Array.isArray(v) ? v.map((x) => Number(x)) : [];
}

/** The first row as a record by column name. */
export function firstRow(rs: ResultSet): Record<string, Cell> {
  const row = rs.rows[0] ?? [];
  return Object.fromEntries(rs.columns.map((c, i) => [c, row[i] ?? null]));
}

export function rowObjects(rs: ResultSet): Record<string, Cell>[] {
  return rs.rows.map((row) => Object.fromEntries(rs.columns.map((c, i) => [c, row[i] ?? null])));
}
