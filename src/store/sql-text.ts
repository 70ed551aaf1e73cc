// Literals and identifiers spelled for DuckDB SQL, and DuckDB result cells read back as numbers.
import type { DuckDBValue } from "@duckdb/node-api";

export const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** A JS number as the identical DuckDB DOUBLE (shortest round-trip text, parsed as DOUBLE). */
export const sqlDouble = (x: number): string => `'${String(x)}'::DOUBLE`;

export const sqlIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** A numeric cell (BIGINT and HUGEINT arrive as bigint). */
export const cellNumber = (v: DuckDBValue): number => (typeof v === "bigint" ? Number(v) : (v as number));

export const cellNumberOrNull = (v: DuckDBValue): number | null => (v === null ? null : cellNumber(v));
