// The client's own CPU while the profiling phase ran: what driving this load cost, for sizing the
// machine that runs llmbench, and the steady-state cost per request that start-up and statistics
// leave out (scripts/bench.ts compares it with the naive client's). A load worker's share counts its
// busy waits: before a timed send it spins for the last ~1.5 ms (precise-wait.ts), so at a few
// hundred requests a second per worker it reads busy while its sends are on time.

export interface PhaseCpu {
  /** The phase's wall time (ns): from handing it to the workers until the last one finished it. */
  wallNs: number;
  /** The whole process's CPU meanwhile (user + system, us): every thread. */
  processCpuUs: number;
  /** Each load worker thread's CPU in the phase (us), by worker id. */
  workerCpuUs: readonly number[];
  /** The main thread's (us): storing records, scraping metrics, the live view. */
  mainCpuUs: number;
}

const pct = (part: number, whole: number): string => `${whole > 0 ? Math.round((100 * part) / whole) : 0}%`;

/** One line for the run's log: CPU seconds, cores used on average, per request, each load worker's busy share and the main thread's. */
export function clientCpuLine(u: PhaseCpu, requests: number): string {
  const cpuS = u.processCpuUs / 1e6;
  const wallS = u.wallNs / 1e9;
  const cores = wallS > 0 ? cpuS / wallS : 0;
  const perRequest = requests > 0 ? `, ${((cpuS * 1000) / requests).toFixed(3)} ms a request` : "";
  const wallUs = u.wallNs / 1e3;
  const busy = u.workerCpuUs.map((w) => pct(w, wallUs)).join(", ");
  const workers = u.workerCpuUs.length === 1 ? `load worker busy ${busy}` : `load workers busy ${busy}`;
  return `client CPU in the profiling phase: ${cpuS.toFixed(2)} s in ${wallS.toFixed(2)} s (${cores.toFixed(2)} cores)${perRequest}; ${workers}, main thread ${pct(u.mainCpuUs, wallUs)}`;
}
