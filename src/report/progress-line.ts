// `--ui simple` (pure rendering; src/run/live-view.ts owns the timer and the stream): on a terminal,
// one line redrawn in place that always fits the width (the least useful parts drop out first);
// elsewhere (nohup, a pipe, a CI log) a plain heartbeat line every few seconds.
import type { Glyphs } from "./live-format.ts";
import { ASCII_GLYPHS, formatClock, formatNs, formatRate, progressBar, textWidth } from "./live-format.ts";
import type { LiveState } from "./live-state.ts";

interface Part {
  text: string;
  /** Lower drops out first when the line is too long. */
  keep: number;
}

/** The latency people watch: TTFT p50 when streaming, else request latency p50. */
function latencyPart(s: LiveState, g: Glyphs): string | null {
  const v = s.streaming ? s.stats.ttft : s.stats.latency;
  return v === null ? null : `${s.streaming ? "TTFT" : "latency"} p50 ${formatNs(v.p50, g)}`;
}

function countText(s: LiveState): string {
  const p = s.progress;
  return p.total !== null ? `${p.done}/${p.total} req` : `${p.done} req`;
}

/**
 * The progress line, at most `width - 1` columns (the last column is left free so that no terminal
 * wraps it). The caller writes it after a carriage return and erases the rest of the line.
 */
export function progressLine(s: LiveState, width: number, g: Glyphs = ASCII_GLYPHS): string {
  const p = s.progress;
  const max = Math.max(1, width - 1);
  const pct = p.fraction === null ? null : `${Math.floor(p.fraction * 100)}%`;
  const lat = latencyPart(s, g);
  const rate = s.stats.requestsPerSec;
  const parts: (Part | null)[] = [
    { text: p.phase, keep: 6 },
    pct === null ? null : { text: pct, keep: 8 },
    { text: countText(s), keep: 9 },
    rate === null ? null : { text: `${formatRate(rate)} req/s`, keep: 5 },
    { text: `${s.inFlight} in flight`, keep: 2 },
    p.failed > 0 ? { text: `${p.failed} failed`, keep: 4 } : null,
    lat === null ? null : { text: lat, keep: 3 },
    p.etaMs === null ? null : { text: `ETA ${formatClock(p.etaMs)}`, keep: 7 },
  ];
  const kept = parts.filter((x): x is Part => x !== null);
  const join = (xs: Part[]): string => xs.map((x) => x.text).join("  ");
  while (kept.length > 1 && textWidth(join(kept)) > max) {
    let drop = 0;
    for (let i = 1; i < kept.length; i++) if (kept[i]!.keep < kept[drop]!.keep) drop = i;
    kept.splice(drop, 1);
  }
  let line = join(kept);
  // A bar when there is room for a useful one (10 to 30 columns), after the count.
  const room = max - textWidth(line) - 4;
  if (p.fraction !== null && room >= 10) {
    const bar = `[${progressBar(p.fraction, Math.min(30, room), g)}]`;
    const at = kept.findIndex((x) => x.text === countText(s)) + 1;
    line = join([...kept.slice(0, at), { text: bar, keep: 0 }, ...kept.slice(at)]);
  }
  return textWidth(line) > max ? line.slice(0, max) : line;
}

/** The heartbeat line (no terminal): "profiling 1200/5000 req, 240 req/s, 16 in flight, 3 failed, TTFT p50 42.1 ms, ETA 16 s". */
export function heartbeatLine(s: LiveState, g: Glyphs = ASCII_GLYPHS): string {
  const p = s.progress;
  const parts = [`${p.phase} ${countText(s)}`];
  if (p.durationMs !== null) parts.push(`${formatClock(p.elapsedMs)} of ${formatClock(p.durationMs)}`);
  if (s.stats.requestsPerSec !== null) parts.push(`${formatRate(s.stats.requestsPerSec)} req/s`);
  parts.push(`${s.inFlight} in flight`, `${p.failed} failed`);
  const lat = latencyPart(s, g);
  if (lat !== null) parts.push(lat);
  if (p.etaMs !== null) parts.push(`ETA ${formatClock(p.etaMs)}`);
  if (s.stopping !== null) parts.push(s.stopping);
  return parts.join(", ");
}
