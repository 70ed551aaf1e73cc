// One clock for every thread and process: wall-clock epoch nanoseconds built from
// performance.timeOrigin (fixed at thread start) plus the monotonic performance.now().
// Bun.nanoseconds() counts from each thread's own start, so it cannot be compared across workers.
// As a double, epoch ns > 2^53 resolves to 256 ns steps: far below any latency we report.

/** Epoch nanoseconds, monotonic within a thread, comparable across threads and processes. */
export function epochNs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1e6);
}

/** Monotonic milliseconds (fractional), for durations and timers within one thread. */
export function monoMs(): number {
  return performance.now();
}
