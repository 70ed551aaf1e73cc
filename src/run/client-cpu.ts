// The client's own CPU while the profiling phase ran: what driving this load cost, for sizing the
// machine that runs llmbench, and the steady-state cost per request that start-up and statistics
// leave out (scripts/bench.ts compares it with the naive client's). A load worker spins for the last
// ~1.5 ms before each timed send (precise-wait.ts); that part is said apart, and left out of how busy
// the worker was: a worker busy nearly all the time stamps late, and that is worth a warning. While
// storing, receiving or counting falls behind it naps through most of those waits instead; the line
// says how long.
import type { WorkerPhaseCpu } from "../engine/worker-protocol.ts";

export interface PhaseCpu {
  /** The phase's wall time (ns): from handing it to the workers until the last one finished it. */
  wallNs: number;
  /** The whole process's CPU meanwhile (user + system, us): every thread. */
  processCpuUs: number;
  /** Each load worker thread's, by worker id. */
  workers: readonly WorkerPhaseCpu[];
  /** The main thread's (us): storing records, scraping metrics, the live view. */
  mainCpuUs: number;
  /** The cores this process may run on (its CPU affinity). */
  cores: number;
}

/** A load worker busy (spin-waits left out) this share of the phase or more gets the warning. */
export const BUSY_WARN_SHARE = 0.9;

const share = (part: number, wholeUs: number): number => (wholeUs > 0 ? part / wholeUs : 0);
const pct = (s: number): string => `${Math.round(100 * s)}%`;
/** A worker's working share of the phase: its CPU less its spin-waits. */
const busyShare = (w: WorkerPhaseCpu, wallUs: number): number => share(Math.max(0, w.cpuUs - w.spinUs), wallUs);

const spunUs = (u: PhaseCpu): number => u.workers.reduce((sum, w) => sum + w.spinUs, 0);
const nappedUs = (u: PhaseCpu): number => u.workers.reduce((sum, w) => sum + w.napUs, 0);
const coreWord = (n: number): string => (n === 1 ? "core" : "cores");

/** One line for the run's log: CPU seconds, cores used on average, per request, each load worker's busy share and the main thread's. */
export function clientCpuLine(u: PhaseCpu, requests: number): string {
  const cpuS = u.processCpuUs / 1e6;
  const wallS = u.wallNs / 1e9;
  const cores = wallS > 0 ? cpuS / wallS : 0;
  const perRequest = requests > 0 ? `, ${((cpuS * 1000) / requests).toFixed(3)} ms a request` : "";
  const wallUs = u.wallNs / 1e3;
  const busy = u.workers.map((w) => pct(busyShare(w, wallUs))).join(", ");
  // Shares of all the workers' time; under half a percent is left unsaid.
  const spun = share(spunUs(u), wallUs * u.workers.length);
  const napped = share(nappedUs(u), wallUs * u.workers.length);
  const waits = [
    ...(spun >= 0.005 ? [`${pct(spun)} spinning until sends were due`] : []),
    ...(napped >= 0.005 ? [`${pct(napped)} napping while storing, receiving or counting fell behind`] : []),
  ];
  const waitNote = waits.length > 0 ? ` (and ${waits.join(", ")})` : "";
  const workers = u.workers.length === 1 ? `load worker busy ${busy}` : `load workers busy ${busy}`;
  return (
    `client CPU in the profiling phase: ${cpuS.toFixed(2)} s in ${wallS.toFixed(2)} s (${cores.toFixed(2)} of ${u.cores} ${coreWord(u.cores)})` +
    `${perRequest}; ${workers}${waitNote}, main thread ${pct(share(u.mainCpuUs, wallUs))}`
  );
}

const NEAR_LIMIT = "the client was near its limit, so its own queueing may be in the latencies";

/**
 * The warning when the client was near its limit, or null: a load worker busy nearly all the phase, or
 * the whole process nearly all its cores' time (its threads share them). Spin-waits are left out of both.
 */
export function clientBusyWarning(u: PhaseCpu): string | null {
  const wallUs = u.wallNs / 1e3;
  const busy = u.workers.map((w, id) => ({ id, share: busyShare(w, wallUs) })).filter((w) => w.share >= BUSY_WARN_SHARE);
  if (busy.length > 0) {
    const who = busy.length === 1 ? `load worker ${busy[0]!.id} was` : `load workers ${busy.map((w) => w.id).join(", ")} were`;
    return `${who} busy ${busy.map((w) => pct(w.share)).join(", ")} of the profiling phase: ${NEAR_LIMIT}; give it more --workers (and cores for them), or fewer streams`;
  }
  const used = share(Math.max(0, u.processCpuUs - spunUs(u)), wallUs * u.cores);
  if (used < BUSY_WARN_SHARE) return null;
  return `the client used ${pct(used)} of the ${u.cores === 1 ? "core" : `${u.cores} cores`} it may run on in the profiling phase: ${NEAR_LIMIT}; give it more cores, or fewer streams`;
}
