// Lowers threads to SCHED_IDLE (Linux): such a thread runs only when its core has nothing else to
// run, so work that may wait (drawing the dashboard, storing records) never delays the thread that
// stamps socket reads. Measured here: a sibling busy 3 ms in every 10 ms lifted a socket client's gap
// error p99 from 0.50 to 2.7 ms at normal priority, 2.9 ms at nice 19, and left it at 0.49 ms under
// SCHED_IDLE.
// An unprivileged thread cannot raise itself back, and threads it creates inherit the policy: lower
// only threads that never need to be prompt, in a process that starts no prompt thread afterwards.
// Tried and dropped: the load worker asking for a 0.1 ms slice (sched_setattr, Linux 6.12+ EEVDF; its
// se.slice went 1.4 -> 0.1 ms) so that it preempts whatever runs when it wakes. At 1,000 streams over
// two sessions (6 and 8 pairs) TTFT error p99 was 3.9 vs 2.9 and 2.2 vs 2.4 ms, gap p99 0.85 vs 1.46 and
// 1.03 vs 0.99 ms: no effect beyond the runs' spread.

/** Linux's SCHED_IDLE policy number (sched.h). */
const SCHED_IDLE = 5;
const LIBC_NAMES = ["libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1"];

export type IdleResult = "sched_idle" | "unsupported" | "refused";

/** Puts the calling thread under SCHED_IDLE; says whether it took. Never throws. */
export function idleThisThread(): IdleResult {
  // tid 0 = the calling thread (a Linux thread is its own task).
  const r = idleThreads([0]);
  return r === null ? "unsupported" : r === 1 ? "sched_idle" : "refused";
}

/** Puts the given threads (Linux task ids) under SCHED_IDLE; how many took, or null where unsupported. Never throws. */
export function idleThreads(tids: readonly number[]): number | null {
  if (process.platform !== "linux") return null;
  try {
    const ffi = require("bun:ffi") as typeof import("bun:ffi");
    for (const name of LIBC_NAMES) {
      let lib: ReturnType<typeof openLibc>;
      try {
        lib = openLibc(ffi, name);
      } catch {
        continue;
      }
      // The static priority must be 0 for SCHED_IDLE.
      const param = new Int32Array(1);
      let took = 0;
      for (const tid of tids) if (lib.symbols.sched_setscheduler(tid, SCHED_IDLE, ffi.ptr(param)) === 0) took++;
      lib.close();
      return took;
    }
    return null;
  } catch {
    return null;
  }
}

function openLibc(ffi: typeof import("bun:ffi"), name: string) {
  return ffi.dlopen(name, { sched_setscheduler: { args: [ffi.FFIType.i32, ffi.FFIType.i32, ffi.FFIType.ptr], returns: ffi.FFIType.i32 } });
}

/** This process's threads (Linux task ids); empty where /proc is missing. */
export function threadIds(): number[] {
  try {
    return (require("node:fs").readdirSync("/proc/self/task") as string[]).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  } catch {
    return [];
  }
}

/** A thread's scheduling policy as Linux reports it (the calling thread's by default; for tests and logs); null when unknown. */
export function threadPolicy(tid?: number): number | null {
  try {
    const path = tid === undefined ? "/proc/thread-self/sched" : `/proc/self/task/${tid}/sched`;
    const text = require("node:fs").readFileSync(path, "utf8") as string;
    const m = /^policy\s*:\s*(\d+)/m.exec(text);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** A thread's name (Linux /proc comm), or "" when unknown. */
export function threadName(tid: number): string {
  try {
    return (require("node:fs").readFileSync(`/proc/self/task/${tid}/comm`, "utf8") as string).trim();
  } catch {
    return "";
  }
}
