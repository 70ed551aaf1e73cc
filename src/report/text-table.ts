// Pure renderers for query results: aligned text table, CSV (RFC 4180), JSON lines, markdown.

export type Cell = string | number | boolean | null;

export interface ResultSet {
  columns: string[];
  rows: Cell[][];
}

const show = (c: Cell): string => (c === null ? "NULL" : String(c));

export function renderTextTable(rs: ResultSet): string {
  const cells = rs.rows.map((r) => r.map(show));
  const widths = rs.columns.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const numeric = rs.columns.map((_, i) => rs.rows.length > 0 && rs.rows.every((r) => r[i] === null || typeof r[i] === "number"));
  const line = (vals: string[]) =>
    vals.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join("  ").trimEnd();
  const out = [line(rs.columns), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)];
  out.push(`(${rs.rows.length} row${rs.rows.length === 1 ? "" : "s"})`);
  return `${out.join("\n")}\n`;
}

function csvField(c: Cell): string {
  if (c === null) return "";
  const s = String(c);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCsv(rs: ResultSet): string {
  const lines = [rs.columns.map(csvField).join(","), ...rs.rows.map((r) => r.map(csvField).join(","))];
  return `${lines.join("\n")}\n`;
}

/** A JSON array of row objects. */
export function renderJson(rs: ResultSet): string {
  const objs = rs.rows.map((r) => Object.fromEntries(rs.columns.map((c, i) => [c, r[i] ?? null])));
  return `${JSON.stringify(objs, null, 2)}\n`;
}

export function renderMarkdown(rs: ResultSet): string {
  const esc = (c: Cell) => show(c).replace(/\|/g, "\\|");
  const lines = [`| ${rs.columns.map(esc).join(" | ")} |`, `| ${rs.columns.map(() => "---").join(" | ")} |`];
  for (const r of rs.rows) lines.push(`| ${r.map(esc).join(" | ")} |`);
  return `${lines.join("\n")}\n`;
}
