// The binary starts its main thread with JIT tier-up thresholds raised (scripts/build.ts): the code
// that parses flags and sets a run up runs once, and compiling it cost more than it saved. The code
// that runs per record once the load starts, and `llmbench mock`'s server, get the normal policy
// back: kept at the raised one, the first chunk's stamp at 100 streams came late more often (TTFT
// error p99 higher in 5 of 6 pairs). Once the load is over, a run's statistics and exports run once
// again: they get the raised thresholds back (a 20-request run pinned to one core, two sets of 8
// alternating pairs: 0.435 vs 0.445 and 0.425 vs 0.435 s CPU medians, lower in 12 of 16 pairs, 1 even).

/**
 * The main thread's JIT tier-up thresholds, times the normal, until a run's load starts and after it
 * ends (the workers' VMs keep the normal policy). Paired against the build before, pinned to one
 * core, medians of 8: a 20-request run 0.487 vs 0.589 s CPU and 175 vs 181 MiB peak; `query` P75
 * over 1,000,000 requests 0.172 vs 0.235 s CPU; `plot` over 20,000 requests 0.78 vs 0.87 s. 64 saved
 * 3% more on a small run than 16.
 */
export const ONCE_JIT_POLICY = 16;

/** Back to JavaScriptCore's normal tier-up thresholds on this thread (a no-op where the runtime has no such call). */
export function normalJitPolicy(): void {
  setJitPolicy(1);
}

/** The raised thresholds again on this thread: what follows runs once (a run's statistics and exports). */
export function onceJitPolicy(): void {
  setJitPolicy(ONCE_JIT_POLICY);
}

function setJitPolicy(scale: number): void {
  (Bun.unsafe as { setJITPolicy?: (scale: number) => void }).setJITPolicy?.(scale);
}
