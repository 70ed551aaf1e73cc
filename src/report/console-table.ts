// The console metrics table, laid out like AIPerf's (a rich Table with the default HEAVY_HEAD box):
// title centred over the table, right-aligned cells with one space of padding, rows by display order,
// values `f"{v:,.2f}"`, N/A where a statistic does not exist. Plain text (no colour codes).
// AIPerf's table is 100-120 columns wide; where it does not fit the terminal, the stat columns are
// split over several stacked tables (the metric column narrowed by wrapping its text if that saves a
// table), and on a very narrow terminal each metric gets its name on a line and its stats below it.
import { hasFlag, metricSpec } from "../metrics/metric-table.ts";
import type { MetricResult, Summary } from "../metrics/summary.ts";
import { formatGrouped2 } from "./py-format.ts";

/** AIPerf's console percentiles; --percentiles adds to them. */
const AIPERF_PERCENTILES = [99, 90, 50] as const;

const DEFAULT_TITLE = "llmbench | LLM Metrics";

/** Headers longer than this put the unit on a second line (AIPerf's rule). */
const MAX_ONE_LINE_HEADER = 30;

/** Narrowest the metric column is wrapped to, to fit more stat columns beside it. */
const METRIC_WRAP_WIDTHS = [30, 26, 22, 18] as const;

/** More stacked tables than this read worse than one block of lines per metric. */
const MAX_BLOCKS = 3;

const NA = "N/A";

export interface ConsoleTableOptions {
  /** Default "llmbench | LLM Metrics". */
  title?: string;
  /** Columns the table may take; unset: AIPerf's layout whatever its width. */
  width?: number;
  /** --percentiles values, shown beside AIPerf's p99, p90 and p50 (largest first). */
  extraPercentiles?: readonly number[];
  /** The rows to show instead of consoleRows(summary) (e.g. the HTTP trace table's). */
  rows?: MetricResult[];
}

interface StatColumn {
  name: string;
  get(m: MetricResult): number | null;
}

/** avg, min, max, the percentiles (largest first), std: AIPerf's order with the extra percentiles in place. */
export function statColumns(extraPercentiles: readonly number[] = []): StatColumn[] {
  const ps = [...new Set([...AIPERF_PERCENTILES, ...extraPercentiles])].sort((a, b) => b - a);
  return [
    { name: "avg", get: (m) => m.avg },
    { name: "min", get: (m) => m.min },
    { name: "max", get: (m) => m.max },
    ...ps.map((p): StatColumn => ({ name: `p${String(p)}`, get: (m) => m.percentiles.find((x) => x.p === p)?.value ?? null })),
    { name: "std", get: (m) => m.std },
  ];
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

/** Greedy word wrap of each line of `text` to `width` (a longer word is cut). */
function wrapLines(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split("\n")) {
    let line = "";
    for (let word of para.split(" ").filter(Boolean)) {
      while (word.length > width) {
        if (line) out.push(line);
        out.push(word.slice(0, width));
        word = word.slice(width);
        line = "";
      }
      if (!line) line = word;
      else if (line.length + 1 + word.length <= width) line += ` ${word}`;
      else {
        out.push(line);
        line = word;
      }
    }
    if (line) out.push(line);
  }
  return out;
}

const longest = (lines: readonly string[]): number => lines.reduce((w, l) => Math.max(w, l.length), 0);

/** One table in rich's HEAVY_HEAD box; cells may hold several lines. Every line is as wide as the table. */
function renderBox(header: readonly string[], body: readonly (readonly string[])[], title: string | null): string[] {
  const cellLines = (cell: string) => cell.split("\n");
  const widths = header.map((h, i) => Math.max(h.length, ...body.flatMap((r) => cellLines(r[i]!).map((l) => l.length))));
  const rule = (left: string, fill: string, mid: string, right: string) => left + widths.map((w) => fill.repeat(w + 2)).join(mid) + right;
  const line = (cells: readonly string[], edge: string) => {
    const height = Math.max(...cells.map((c) => cellLines(c).length));
    const out: string[] = [];
    for (let k = 0; k < height; k++) {
      out.push(edge + cells.map((c, i) => ` ${(cellLines(c)[k] ?? "").padStart(widths[i]!)} `).join(edge) + edge);
    }
    return out;
  };
  const tableWidth = widths.reduce((s, w) => s + w + 3, 1);
  const lines: string[] = [];
  if (title !== null) {
    const left = Math.max(0, Math.floor((tableWidth - title.length) / 2));
    lines.push(" ".repeat(left) + title + " ".repeat(Math.max(0, tableWidth - left - title.length)));
  }
  lines.push(rule("┏", "━", "┳", "┓"), ...line(header, "┃"), rule("┡", "━", "╇", "┩"), ...body.flatMap((r) => line(r, "│")), rule("└", "─", "┴", "┘"));
  return lines;
}

interface Grid {
  title: string;
  names: string[];
  columns: string[];
  /** values[row][column], formatted; N/A where the statistic does not exist. */
  values: string[][];
}

/** Column indexes per stacked table when the metric column is `metricWidth` wide; null if a column cannot fit. */
function packColumns(g: Grid, metricWidth: number, width: number): number[][] | null {
  const room = width - (1 + metricWidth + 3);
  const blocks: number[][] = [];
  let used = 0;
  for (let c = 0; c < g.columns.length; c++) {
    const w = Math.max(g.columns[c]!.length, ...g.values.map((r) => r[c]!.length)) + 3;
    if (w > room) return null;
    const last = blocks.at(-1);
    if (last && used + w <= room) {
      last.push(c);
      used += w;
    } else {
      blocks.push([c]);
      used = w;
    }
  }
  return blocks;
}

/** Stacked tables, each with the metric column and some stat columns; rows that are all N/A in a table left out. */
function stackedTables(g: Grid, width: number): string[] | null {
  const natural = longest(g.names.flatMap((n) => n.split("\n")).concat("Metric"));
  let best: { metricWidth: number; blocks: number[][] } | null = null;
  for (const metricWidth of [natural, ...METRIC_WRAP_WIDTHS.filter((w) => w < natural)]) {
    const blocks = packColumns(g, metricWidth, width);
    if (blocks !== null && (best === null || blocks.length < best.blocks.length)) best = { metricWidth, blocks };
  }
  if (best === null || best.blocks.length > MAX_BLOCKS) return null;
  const { metricWidth, blocks } = best;
  const names = g.names.map((n) => wrapLines(n, metricWidth).join("\n"));
  const lines: string[] = [];
  for (const [b, cols] of blocks.entries()) {
    const rows = g.values.flatMap((r, i) => (b === 0 || cols.some((c) => r[c] !== NA) ? [[names[i]!, ...cols.map((c) => r[c]!)]] : []));
    if (b > 0 && rows.length === 0) continue;
    lines.push(...renderBox(["Metric", ...cols.map((c) => g.columns[c]!)], rows, b === 0 ? g.title : null));
  }
  return lines;
}

/** One block per metric: its name, then "stat value" items packed into lines (N/A left out). */
function metricBlocks(g: Grid, width: number): string[] {
  const indent = "  ";
  const lines = [g.title];
  for (const [i, name] of g.names.entries()) {
    lines.push(...wrapLines(name.replace("\n", " "), width));
    let line = "";
    for (const [c, v] of g.values[i]!.entries()) {
      if (v === NA) continue;
      const item = `${g.columns[c]} ${v}`;
      if (line && line.length + 3 + item.length > width) {
        lines.push(line);
        line = "";
      }
      line = line ? `${line}   ${item}` : indent + item;
    }
    if (line) lines.push(line);
  }
  return lines;
}

/**
 * Renders the table; every line ends with "\n". "" when the summary has no metric at all (AIPerf prints
 * nothing then); a run with only failures still gets the header (AIPerf prints an empty table).
 */
export function consoleTable(summary: Summary, opts: ConsoleTableOptions = {}): string {
  if (summary.metrics.length === 0) return "";
  const rows = opts.rows ?? consoleRows(summary);
  const cols = statColumns(opts.extraPercentiles);
  const g: Grid = {
    title: opts.title ?? DEFAULT_TITLE,
    names: rows.map(metricCell),
    columns: cols.map((c) => c.name),
    values: rows.map((m) =>
      cols.map((c) => {
        const v = c.get(m);
        return v === null ? NA : formatGrouped2(v);
      }),
    ),
  };
  const aiperf = renderBox(
    ["Metric", ...g.columns],
    g.names.map((n, i) => [n, ...g.values[i]!]),
    g.title,
  );
  const lines = opts.width === undefined || longest(aiperf) <= opts.width ? aiperf : (stackedTables(g, opts.width) ?? metricBlocks(g, opts.width));
  return lines.map((l) => `${l}\n`).join("");
}
