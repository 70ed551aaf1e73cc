// Pure renderers for query results: aligned text table, CSV (RFC 4180), JSON lines, markdown.
// Values may hold anything a server sent (error messages): the table and markdown always show control
// characters escaped, JSON escapes them losslessly, CSV only when it is headed for a terminal.
import { jsonTerminalSafe, terminalSafe } from "./terminal-safe.ts";

export type Cell = string | number | boolean | null;

export interface ResultSet {
  columns: string[];
  rows: Cell[][];
}

const show = (c: Cell): string => (c === null ? "NULL" : terminalSafe(String(c)));

export function renderTextTable(rs: ResultSet): string {
  const cells = rs.rows.map((r) => r.map(show));
  const headers = rs.columns.map(terminalSafe);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const numeric = rs.columns.map((_, i) => rs.rows.length > 0 && rs.rows.every((r) => r[i] === null || typeof r[i] === "number"));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const out = [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)];
  out.push(`(${rs.rows.length} row${rs.rows.length === 1 ? "" : "s"})`);
  return `${out.join("\n")}\n`;
}

function csvField(c: Cell, forTerminal: boolean): string {
  if (c === null) return "";
  const s = forTerminal ? terminalSafe(String(c)) : String(c);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180; `forTerminal` escapes control characters (then the values are no longer the data's bytes). */
export function renderCsv(rs: ResultSet, forTerminal = false): string {
  const row = (cells: readonly Cell[]) => cells.map((c) => csvField(c, forTerminal)).join(",");
  const lines = [row(rs.columns), ...rs.rows.map(row)];
  return `${lines.join("\n")}\n`;
}

/** A JSON array of row objects. */
export function renderJson(rs: ResultSet): string {
  const objs = rs.rows.map((r) => Object.fromEntries(rs.columns.map((c, i) => [c, r[i] ?? null])));
  return `${jsonTerminalSafe(JSON.stringify(objs, null, 2))}\n`;
}

export function renderMarkdown(rs: ResultSet): string {
  const esc = (c: Cell) => show(c).replace(/\|/g, "\\|");
  const lines = [`| ${rs.columns.map(esc).join(" | ")} |`, `| ${rs.columns.map(() => "---").join(" | ")} |`];
  for (const r of rs.rows) lines.push(`| ${r.map(esc).join(" | ")} |`);
  return `${lines.join("\n")}\n`;
}
