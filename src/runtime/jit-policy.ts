// The binary starts its main thread with JIT tier-up thresholds raised (scripts/build.ts): the code
// that parses flags and sets a run up runs once, and compiling it cost more than it saved. The code
// that runs per record once the load starts, and `llmbench mock`'s server, get the normal policy
// back: kept at the raised one, the first chunk's stamp at 100 streams came late more often (TTFT
// error p99 higher in 5 of 6 pairs).

/** Back to JavaScriptCore's normal tier-up thresholds on this thread (a no-op where the runtime has no such call). */
export function normalJitPolicy(): void {
  (Bun.unsafe as { setJITPolicy?: (scale: number) => void }).setJITPolicy?.(1);
}
