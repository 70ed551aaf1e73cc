// The console metrics table, laid out like AIPerf's (a rich Table with the default HEAVY_HEAD box):
// title centred over the table, right-aligned cells with one space of padding, rows by display order,
// values `f"{v:,.2f}"`, N/A where a statistic does not exist. Plain text (no colour codes).
import { hasFlag, metricSpec } from "../metrics/metric-table.ts";
import type { MetricResult, Summary } from "../metrics/summary.ts";
import { formatGrouped2 } from "./py-format.ts";

const STAT_COLUMNS = ["avg", "min", "max", "p99", "p90", "p50", "std"] as const;
export type StatColumn = (typeof STAT_COLUMNS)[number];

const DEFAULT_TITLE = "llmbench | LLM Metrics";

/** Headers longer than this put the unit on a second line (AIPerf's rule). */
const MAX_ONE_LINE_HEADER = 30;

export interface ConsoleTableOptions {
  /** Default "llmbench | LLM Metrics". */
  title?: string;
}

function stat(m: MetricResult, col: StatColumn): number | null {
  switch (col) {
    case "avg":
      return m.avg;
    case "min":
      return m.min;
    case "max":
      return m.max;
    case "std":
      return m.std;
    default:
      return m.percentiles.find((p) => p.key === col)?.value ?? null;
  }
}

/** Metrics shown on the console, in display order (metrics without one go last, keeping table order). */
export function consoleRows(summary: Summary): MetricResult[] {
  const shown = summary.metrics.filter((m) => {
    const spec = metricSpec(m.tag);
    return !hasFlag(spec, "error-only") && !hasFlag(spec, "no-console");
  });
  const order = (m: MetricResult) => metricSpec(m.tag).displayOrder ?? Number.MAX_SAFE_INTEGER;
  return shown.sort((a, b) => order(a) - order(b));
}

/** The metric cell: "Header (unit)", or header and unit on two lines when the header is long. */
export function metricCell(m: Pick<MetricResult, "header" | "unit">): string {
  return `${m.header}${m.header.length > MAX_ONE_LINE_HEADER ? "\n" : " "}(${m.unit})`;
}

/**
 * Renders the table; every line ends with "\n". "" when the summary has no metric at all (AIPerf prints
 * nothing then); a run with only failures still gets the header (AIPerf prints an empty table).
 */
export function consoleTable(summary: Summary, opts: ConsoleTableOptions = {}): string {
  if (summary.metrics.length === 0) return "";
  const rows = consoleRows(summary);
  const header = ["Metric", ...STAT_COLUMNS];
  const body = rows.map((m) => [metricCell(m), ...STAT_COLUMNS.map((c) => {
    const v = stat(m, c);
    return v === null ? "N/A" : formatGrouped2(v);
  })]);
  const cellLines = (cell: string) => cell.split("\n");
  const widths = header.map((h, i) => Math.max(h.length, ...body.flatMap((r) => cellLines(r[i]!).map((l) => l.length))));
  const rule = (left: string, fill: string, mid: string, right: string) =>
    left + widths.map((w) => fill.repeat(w + 2)).join(mid) + right;
  const line = (cells: readonly string[], edge: string) => {
    const height = Math.max(...cells.map((c) => cellLines(c).length));
    const out: string[] = [];
    for (let k = 0; k < height; k++) {
      out.push(edge + cells.map((c, i) => ` ${(cellLines(c)[k] ?? "").padStart(widths[i]!)} `).join(edge) + edge);
    }
    return out;
  };
  const tableWidth = widths.reduce((s, w) => s + w + 3, 1);
  const title = opts.title ?? DEFAULT_TITLE;
  const left = Math.max(0, Math.floor((tableWidth - title.length) / 2));
  const lines = [
    " ".repeat(left) + title + " ".repeat(Math.max(0, tableWidth - left - title.length)),
    rule("┏", "━", "┳", "┓"),
    ...line(header, "┃"),
    rule("┡", "━", "╇", "┩"),
    ...body.flatMap((r) => line(r, "│")),
    rule("└", "─", "┴", "┘"),
  ];
  return lines.map((l) => `${l}\n`).join("");
}
