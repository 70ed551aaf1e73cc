// `--ui simple`: one line redrawn on stderr (pure rendering; the caller owns the timer and stream).

export interface ProgressState {
  done: number;
  /** Total to send, or null when bounded by duration. */
  total: number | null;
  inFlight: number;
  errors: number;
  elapsedMs: number;
  /** For duration-bounded runs. */
  durationMs: number | null;
}

const WIDTH = 30;

export function renderProgress(s: ProgressState): string {
  const frac = s.total ? s.done / s.total : s.durationMs ? Math.min(1, s.elapsedMs / s.durationMs) : 0;
  const filled = Math.round(frac * WIDTH);
  const bar = `[${"=".repeat(filled)}${" ".repeat(WIDTH - filled)}]`;
  const count = s.total ? `${s.done}/${s.total}` : `${s.done}`;
  const secs = (s.elapsedMs / 1000).toFixed(1);
  return `${bar} ${String(Math.round(frac * 100)).padStart(3)}% ${count} requests | ${s.inFlight} in flight | ${s.errors} errors | ${secs} s`;
}
