// Every stream holds a socket, so concurrency is bounded by the open-file limit. Reading it up front
// turns "thousands of identical EMFILE errors mid-run" into one line with the fix.
import { readFileSync } from "node:fs";

export interface FdLimit {
  soft: number;
  hard: number;
}

/** Parses /proc/<pid>/limits' "Max open files" line; null when not there (non-Linux) or unlimited. */
export function parseFdLimit(limitsText: string): FdLimit | null {
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(limitsText);
  if (!m || m[1] === "unlimited") return null;
  return { soft: Number(m[1]), hard: m[2] === "unlimited" ? Number.POSITIVE_INFINITY : Number(m[2]) };
}

export function readFdLimit(): FdLimit | null {
  try {
    return parseFdLimit(readFileSync("/proc/self/limits", "utf8"));
  } catch {
    return null;
  }
}

/** Descriptors the process needs besides one socket per stream: DuckDB, logs, workers, stdio. */
const FD_RESERVE = 64;

/** The problem line when `streams` sockets will not fit under the limit, else null. */
export function fdProblem(streams: number, limit: FdLimit | null): string | null {
  if (limit === null) return null;
  const need = streams + FD_RESERVE;
  if (need <= limit.soft) return null;
  const raise =
    need <= limit.hard
      ? `raise it first (ulimit -n ${need})`
      : `the hard limit is ${limit.hard}, so lower --concurrency to ${Math.max(1, limit.hard - FD_RESERVE)} or spread the load over several machines`;
  return `--concurrency ${streams} needs about ${need} open files but this process may open ${limit.soft} (ulimit -n); ${raise}`;
}
