// --storage-priority idle: while the load runs, the threads that store, summarize, scrape and draw
// yield the core to the load and count workers. Measured (bench/timing-ab-checkouts.md, client on one
// core, medians of 5): TTFT error p99 at 100 streams 9.2 -> 2.4 ms, at 1,000 streams 12.7 -> 4.8 ms.
//
// Which threads: every thread that exists just before the workers start (this one, its garbage
// collector's, DuckDB's, the runtime's shared pools), but under --transport fetch the runtime's HTTP
// client thread, which reads the responses. Lowering this thread alone left its garbage collector's
// thread at normal priority, and the two then took turns ~100,000 times a second: a 400-request run
// took 141 s instead of 9.
//
// An unprivileged thread cannot come back from SCHED_IDLE and threads it creates inherit it, so this
// runs only in a process that holds one profile run (the binary, not a test runner; not a sweep).
import { idleThreads, threadIds, threadName } from "../runtime/thread-priority.ts";

/** The runtime's fetch client thread (/proc comm name): it reads the responses under --transport fetch. */
const FETCH_THREAD = "HTTP Client";

export interface StoragePriorityInputs {
  priority: "idle" | "normal";
  /** The process runs this one command (Io.ownsProcess). */
  ownsProcess: boolean;
  /** The run is one point of a sweep or search: later points start new workers from this thread. */
  inSweep: boolean;
  /** This thread feeds prompts to the workers while the load runs (a trace's hash-id blocks, built on a count worker or here): it is on the send path. */
  feedsPrompts: boolean;
  platform: NodeJS.Platform;
}

/** Whether this run lowers its storage threads, or why not. */
export function storagePriorityPlan(i: StoragePriorityInputs): { lower: true } | { lower: false; why: string } {
  if (i.priority === "normal") return { lower: false, why: "--storage-priority normal" };
  if (i.platform !== "linux") return { lower: false, why: "SCHED_IDLE is Linux only" };
  if (!i.ownsProcess) return { lower: false, why: "the process is not the run's alone" };
  if (i.inSweep) return { lower: false, why: "a sweep or search starts more workers from this thread" };
  // The shared Mooncake trace at 20x on a 2-vCPU VM where the client cannot keep up (prompts then built
  // on this thread): replay lag p50 / p99 medians 9.3 / 15.1 s lowered, 5.2 / 10.2 s not (3-4 runs each,
  // p99 spread 6-27 s). Built on a count worker now, they still pass through this thread on their way.
  if (i.feedsPrompts) return { lower: false, why: "this thread feeds the trace's prompts to the workers while the load runs" };
  return { lower: true };
}

/** The threads to lower once the workers run: those alive now, but the fetch client's when the load goes through it. */
export function storageThreadsNow(transport: "http1" | "fetch"): number[] {
  const ids = threadIds();
  return transport === "fetch" ? ids.filter((tid) => threadName(tid) !== FETCH_THREAD) : ids;
}

/** Lowers the threads taken before the workers started; the line the run's log gets. */
function lowerStorageThreads(tids: readonly number[]): string {
  const took = idleThreads(tids);
  if (took === null) return "storage threads keep normal priority: SCHED_IDLE is not available here";
  return `storage threads under SCHED_IDLE while the load runs: ${took} of ${tids.length}`;
}

/**
 * The stage around the workers' start: call it just before they start (it takes the threads alive
 * then); the function it returns, called once they run, lowers those threads (or not) and says so.
 */
export function storagePriorityStage(i: StoragePriorityInputs & { transport: "http1" | "fetch" }): () => string {
  const plan = storagePriorityPlan(i);
  if (!plan.lower) return () => `storage threads keep normal priority: ${plan.why}`;
  const tids = storageThreadsNow(i.transport);
  return () => lowerStorageThreads(tids);
}
