// Text pieces of the live views (pure): short numbers with units, clock times, a progress bar, a
// sparkline, and cutting text to a terminal width (wide characters count as two columns).

/** Glyphs: Unicode blocks on a UTF-8 terminal, ASCII otherwise. */
export interface Glyphs {
  /** Sparkline levels, empty to full (9 of them). */
  levels: string;
  barFull: string;
  barEmpty: string;
  ellipsis: string;
  micro: string;
}

export const UNICODE_GLYPHS: Glyphs = { levels: " ▁▂▃▄▅▆▇█", barFull: "█", barEmpty: "░", ellipsis: "…", micro: "µ" };
export const ASCII_GLYPHS: Glyphs = { levels: " .:-=+*#@", barFull: "#", barEmpty: ".", ellipsis: "~", micro: "u" };

/** Unicode glyphs when the locale says UTF-8 (LC_ALL, else LC_CTYPE, else LANG). */
export function glyphsFor(env: Record<string, string | undefined>): Glyphs {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || "";
  return /utf-?8/i.test(locale) ? UNICODE_GLYPHS : ASCII_GLYPHS;
}

/** Three significant digits: 4.21, 42.1, 421. */
function sig3(x: number): string {
  return x < 9.995 ? x.toFixed(2) : x < 99.95 ? x.toFixed(1) : x.toFixed(0);
}

/** A duration given in ns, in µs, ms or s with three significant digits: "812 µs", "42.1 ms", "1.20 s". */
export function formatNs(ns: number, g: Glyphs = UNICODE_GLYPHS): string {
  if (ns < 999.5) return `${Math.round(ns)} ns`;
  if (ns < 999_500) return `${sig3(ns / 1e3)} ${g.micro}s`;
  if (ns < 999_500_000) return `${sig3(ns / 1e6)} ms`;
  return `${sig3(ns / 1e9)} s`;
}

/** A rate or count per second: "0.50", "42.1", "240", "1234", "12.3k", "123k". */
export function formatRate(x: number): string {
  if (x < 99.95) return x < 9.995 ? x.toFixed(2) : x.toFixed(1);
  if (x < 9999.5) return x.toFixed(0);
  if (x < 99_950) return `${(x / 1000).toFixed(1)}k`;
  return `${(x / 1000).toFixed(0)}k`;
}

/** Elapsed or remaining time: "12 s", "2:05", "1:02:03". */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  if (total < 60) return `${total} s`;
  const s = String(total % 60).padStart(2, "0");
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** Columns `text` takes on a terminal. */
export function textWidth(text: string): number {
  // ASCII (the usual case) is one column a character; Bun knows the rest (wide, zero-width).
  return /^[\x20-\x7e]*$/.test(text) ? text.length : Bun.stringWidth(text);
}

/** `text` cut to at most `width` columns, ending with the ellipsis when cut. */
export function fitWidth(text: string, width: number, g: Glyphs = UNICODE_GLYPHS): string {
  if (width <= 0) return "";
  if (textWidth(text) <= width) return text;
  const room = width - 1;
  let out = "";
  let used = 0;
  for (const ch of text) {
    const w = textWidth(ch);
    if (used + w > room) break;
    out += ch;
    used += w;
  }
  return out + g.ellipsis;
}

/** `text` cut or padded with spaces to exactly `width` columns. */
export function padWidth(text: string, width: number, g: Glyphs = UNICODE_GLYPHS): string {
  const cut = fitWidth(text, width, g);
  return cut + " ".repeat(Math.max(0, width - textWidth(cut)));
}

/** A bar `width` columns wide, filled to `fraction` (0..1). */
export function progressBar(fraction: number, width: number, g: Glyphs): string {
  if (width <= 0) return "";
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return g.barFull.repeat(filled) + g.barEmpty.repeat(width - filled);
}

/**
 * A sparkline of the last `width` values (null = no data, shown blank), `rows` rows tall, top row
 * first, scaled so `max` fills the top. A positive value never shows as empty.
 */
export function sparkline(values: readonly (number | null)[], width: number, rows: number, max: number, g: Glyphs): string[] {
  const shown = width > 0 ? values.slice(-width) : [];
  const steps = g.levels.length - 1;
  const out: string[] = [];
  for (let row = rows - 1; row >= 0; row--) {
    let line = "";
    for (const v of shown) {
      if (v === null || !(v > 0) || !(max > 0)) {
        line += " ";
        continue;
      }
      const level = Math.max(1, Math.round((Math.min(v, max) / max) * rows * steps));
      line += g.levels[Math.min(steps, Math.max(0, level - row * steps))];
    }
    out.push(line);
  }
  return out;
}

/** The largest non-null value, or 0. */
export function maxOf(values: readonly (number | null)[]): number {
  let m = 0;
  for (const v of values) if (v !== null && v > m) m = v;
  return m;
}
