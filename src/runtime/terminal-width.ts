// How wide text shown on stdout may be: COLUMNS when set (as most CLIs honour it), else the terminal's
// width when stdout is one, else 80 (a pipe or a file gets what an 80-column terminal would).
const DEFAULT_WIDTH = 80;
const MIN_WIDTH = 40;

export function terminalWidth(env: Record<string, string | undefined>, terminalColumns?: number): number {
  const fromEnv = Number(env.COLUMNS);
  const w = Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : (terminalColumns ?? DEFAULT_WIDTH);
  return Math.max(MIN_WIDTH, Math.floor(w));
}
