// The dashboard as text (pure): a LiveState and the terminal's size in, exactly `height` lines out,
// none wider than `width`. Sections drop out in a fixed order when the terminal is short; extra
// rows go to taller sparklines and more error kinds; extra columns to longer sparklines and p90.
// Text that came from outside (model, URL, error types and messages, log lines) is escaped here.
import type { Glyphs } from "./live-format.ts";
import { fitWidth, formatClock, formatNs, formatRate, maxOf, padWidth, progressBar, sparkline, textWidth } from "./live-format.ts";
import type { LiveState } from "./live-state.ts";
import type { LivePercentiles } from "./live-stats.ts";
import { LIVE_WINDOW_S } from "./live-stats.ts";
import { terminalSafe } from "./terminal-safe.ts";

export interface DashboardOptions {
  width: number;
  height: number;
  /** SGR colours (a terminal, NO_COLOR unset). */
  color: boolean;
  glyphs: Glyphs;
}

type Style = "bold" | "dim" | "red" | "green" | "yellow" | "cyan";
type Seg = string | readonly [Style, string];
type Row = readonly Seg[];

const SGR: Record<Style, string> = { bold: "1", dim: "2", red: "31", green: "32", yellow: "33", cyan: "36" };
/** Width of the label column. */
const LABEL = 11;
/** Columns kept right of a sparkline for its "max ..." note. */
const SPARK_NOTE = 13;
/** Width of a percentile column. */
const COL = 11;
/** Error kinds listed at most (the snapshot should hold at least this many). */
export const MAX_ERROR_ROWS = 10;

/** One row as terminal text: segments cut to `width` columns, styled when colour is on. */
function renderRow(row: Row, width: number, o: DashboardOptions): string {
  let out = "";
  let left = width;
  for (const seg of row) {
    if (left <= 0) break;
    const [style, raw] = typeof seg === "string" ? [null, seg] : seg;
    const text = fitWidth(raw, left, o.glyphs);
    left -= textWidth(text);
    out += style !== null && o.color && text !== "" ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text;
  }
  return out.trimEnd();
}

const label = (text: string, style?: Style): Seg => (style ? [style, text.padEnd(LABEL)] : text.padEnd(LABEL));

function headerRows(s: LiveState): Row[] {
  return [[["bold", "llmbench profile"], "  ", terminalSafe(s.title)]];
}

function progressRows(s: LiveState, width: number, g: Glyphs): Row[] {
  const p = s.progress;
  const phase = label(p.phase === "warmup" ? "Warmup" : "Profiling", p.phase === "warmup" ? "yellow" : "cyan");
  const first: Row =
    p.fraction === null
      ? [phase, "total not known in advance"]
      : [phase, ["green", progressBar(p.fraction, width - LABEL - 5, g)], `${Math.floor(p.fraction * 100)}%`.padStart(5)];
  const count = p.total !== null ? `${p.done}/${p.total} requests` : `${p.done} requests`;
  const elapsed = p.durationMs !== null ? `elapsed ${formatClock(p.elapsedMs)} of ${formatClock(p.durationMs)}` : `elapsed ${formatClock(p.elapsedMs)}`;
  const eta = `ETA ${p.etaMs === null ? "-" : formatClock(p.etaMs)}`;
  return [first, [label(""), count, "   ", elapsed, "   ", eta]];
}

function countRows(s: LiveState): Row[] {
  const p = s.progress;
  const failed: Seg = p.failed > 0 ? ["red", `${p.failed} failed (${((p.failed / Math.max(1, p.done)) * 100).toFixed(1)}%)`] : "0 failed";
  const st = s.stats;
  const rate = (x: number | null): string => (x === null ? "-" : formatRate(x));
  return [
    [label("Requests", "bold"), `${p.done} done`, "   ", `${s.inFlight} in flight`, "   ", failed],
    [
      label("Throughput", "bold"),
      `${rate(st.requestsPerSec)} req/s`,
      "   ",
      `${rate(st.outputTokensPerSec)} output tok/s`,
      "   ",
      ["dim", `last ${LIVE_WINDOW_S} s`],
    ],
  ];
}

function latencyRows(s: LiveState, width: number, g: Glyphs): Row[] {
  const cols: (keyof LivePercentiles)[] = width >= 100 ? ["p50", "p90", "p99"] : ["p50", "p99"];
  const row = (name: string, v: LivePercentiles | null, note = ""): Row => [
    label(name),
    ...cols.map((c) => (v === null ? "-" : formatNs(v[c], g)).padStart(COL)),
    note === "" ? "" : ["dim", `   ${note}`],
  ];
  const needsStreaming = s.streaming ? "" : "with --streaming";
  return [
    [label("Latency", "bold"), ...cols.map((c) => c.padStart(COL)), ["dim", `   last ${LIVE_WINDOW_S} s`]],
    row("TTFT", s.stats.ttft, needsStreaming),
    row("ITL", s.stats.itl, needsStreaming),
    row("Request", s.stats.latency),
  ];
}

function sparkRows(s: LiveState, width: number, chartRows: number, g: Glyphs): Row[] {
  const chartWidth = Math.max(0, width - LABEL - SPARK_NOTE);
  const chart = (name: string, values: readonly (number | null)[], note: (max: number) => string): Row[] => {
    const shown = values.slice(-chartWidth);
    const max = maxOf(shown);
    const rows = sparkline(shown, chartWidth, chartRows, max, g);
    return rows.map((r, i) =>
      i === 0 ? [label(name, "bold"), ["green", padWidth(r, chartWidth, g)], ["dim", max > 0 ? ` ${note(max)}` : ""]] : [label(""), ["green", r]],
    );
  };
  const st = s.stats;
  return [
    ...chart("req/s", st.requestSeries, (m) => `max ${formatRate(m)}`),
    ...(s.streaming
      ? chart("TTFT p50", st.ttftSeries, (m) => `max ${formatNs(m, g)}`)
      : chart("Latency p50", st.latencySeries, (m) => `max ${formatNs(m, g)}`)),
  ];
}

function errorRows(s: LiveState, rows: number): Row[] {
  const st = s.stats;
  if (st.errorKinds === 0) return [[label("Errors", "bold"), "none"]];
  // Kinds are counted over both phases (the Requests row counts the current phase only).
  const inWarmup = st.failed.warmup > 0 ? ` (${st.failed.warmup} in warmup)` : "";
  const failed = st.failed.warmup + st.failed.profiling;
  const head: Row = [label("Errors", "bold"), ["red", `${failed} failed`], `${inWarmup}, ${st.errorKinds} kind${st.errorKinds === 1 ? "" : "s"}`];
  const list = st.errors.slice(0, Math.max(0, rows)).map((e): Row => {
    const kind = terminalSafe(e.code === 0 ? e.type : `${e.type} ${e.code}`);
    return ["  ", ["red", String(e.count).padStart(7)], "  ", kind.padEnd(22), " ", terminalSafe(e.message)];
  });
  return [head, ...list];
}

function footerRows(s: LiveState, logRows: number): Row[] {
  const logs: Row[] = s.logs.slice(-logRows).map((l): Row => [["dim", terminalSafe(l)]]);
  while (logs.length < logRows) logs.unshift([]);
  const hint =
    s.stopping === "cancelling"
      ? "Cancelling in-flight requests, then writing the results; Ctrl-C again exits now"
      : s.stopping === "stopping"
        ? "Sending stopped: waiting for requests in flight; Ctrl-C cancels them"
        : "Ctrl-C cancels in-flight requests and writes the results; twice exits now";
  return [...logs, [["dim", hint]]];
}

interface Section {
  rows: Row[];
  /** Lower goes first when the terminal is short. */
  keep: number;
  errors?: true;
}

/** The dashboard for `s`: exactly `o.height` lines, each at most `o.width` columns. */
export function dashboardLines(s: LiveState, o: DashboardOptions): string[] {
  const { width, height, glyphs: g } = o;
  const chartRows = height >= 34 ? 3 : height >= 29 ? 2 : 1;
  const gap = (): Section => ({ rows: [[]], keep: 0 });
  const top: Section[] = [
    { rows: headerRows(s), keep: 9 },
    gap(),
    { rows: progressRows(s, width, g), keep: 10 },
    gap(),
    { rows: countRows(s), keep: 8 },
    gap(),
    { rows: latencyRows(s, width, g), keep: 6 },
    gap(),
    { rows: sparkRows(s, width, chartRows, g), keep: 4 },
    gap(),
    { rows: errorRows(s, 0), keep: 5, errors: true },
  ];
  const bottom: Section = { rows: footerRows(s, height >= 30 ? 3 : 1), keep: 7 };
  const all = [...top, bottom];
  const used = (): number => all.reduce((n, x) => n + x.rows.length, 0);
  while (used() > height) {
    // Drop the least important section (the lowest in the list among equals).
    let drop = -1;
    for (let i = 0; i < all.length; i++) if (drop < 0 || all[i]!.keep <= all[drop]!.keep) drop = i;
    if (all[drop]!.keep >= 9) break;
    all.splice(drop, 1);
  }
  const errors = all.find((x) => x.errors);
  if (errors !== undefined) errors.rows = errorRows(s, Math.min(MAX_ERROR_ROWS, height - used()));
  const lines: string[] = [];
  for (const x of all) {
    if (x === bottom) while (lines.length < height - bottom.rows.length) lines.push("");
    for (const r of x.rows) lines.push(renderRow(r, width, o));
  }
  while (lines.length < height) lines.push("");
  return lines.slice(0, height);
}
