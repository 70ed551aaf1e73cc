// Peak RSS of this process, KiB. getrusage's maxrss carries over the parent's peak through the
// exec (Linux keeps the larger of the two), so a run started by a large process (a test runner, a
// sweep driver) would report its parent's memory; VmHWM belongs to this process's own address space.
import { readFileSync } from "node:fs";

/** VmHWM from a /proc/<pid>/status text, KiB, or null when it has none. */
export function vmHwmKiB(status: string): number | null {
  const m = /^VmHWM:\s*(\d+)\s*kB$/m.exec(status);
  return m === null ? null : Number(m[1]);
}

/** This process's peak resident memory, KiB (all threads). */
export function peakRssKiB(): number {
  try {
    const kib = vmHwmKiB(readFileSync("/proc/self/status", "utf8"));
    if (kib !== null) return kib;
  } catch {
    // Not Linux: getrusage is the best there is.
  }
  return process.resourceUsage().maxRSS;
}
