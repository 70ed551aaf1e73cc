// The commands that generate load run with JavaScriptCore's top JIT tier (FTL) off. Its compiles come
// while a run's code turns hot, that is during the measurement, and they cost more than their faster
// code saves. Paired, the variable set in one arm only (`BENCH_B_ENV=BUN_JSC_useFTLJIT=0`):
// - `bench.ts timing-ab 4`, client on one core, 100 streams (ITL 10 ms): TTFT error p99 0.22 vs 2.2 ms,
//   chunk-gap p99 0.66 vs 1.20 ms, CPU 1.04 vs 1.21 s (each better in 4 of 4 pairs);
// - 1,000 streams (ITL 100 ms), 8 pairs: TTFT p99 3.81 vs 3.81 ms, gap p99 1.26 vs 1.44 ms (6 of 8),
//   CPU 1.95 vs 2.25 s (8 of 8);
// - `bench.ts rate-ab 5000 6`: send lag p99 1.19 vs 1.73 ms, sends over 0.2 ms late 1,548 vs 1,889,
//   CPU 140% vs 144% of a core (6 of 6 each);
// - the Mooncake replay at 20x (2 pairs): 90% vs 87-89% of a core, lag p99 3.0 vs 2.5-2.9 ms;
// - a saturated 1,000,000-request run (`bench.ts memory`): 89-96 vs 91 s of CPU, 437-447 vs 454 MiB.
// This build (which restarts itself) against the one before, paired: 100 streams TTFT p99 0.25 vs
// 1.00 ms, gap p99 1.06 vs 1.52 ms, CPU 1.07 vs 1.20 s; 1,000 streams CPU 1.91 vs 2.18 s, tails within
// their spread; 5,000 req/s send lag p99 0.91 vs 1.68 ms; a 16-request run 0.43 vs 0.47 s of CPU
// (bench/timing-ab-checkouts.md, bench/rate-ab.md, bench/small-run-ab.md).
// Tried and dropped: the collector's settings set the same way. In the load worker at 100 streams
// (10,000 chunks a second) young collections came ~3 a second, from a timer (0.25% of CPU per MB
// allocated) as much as from the 8 MB allocation floor, each pausing the stamping thread ~1 ms.
// BUN_JSC_percentCPUPerMBForEdenTimer=0.0001 with BUN_JSC_largeHeapSize=24 MiB cut them 34 -> 12-13 in a
// 2,000-request run (BUN_JSC_logGC=1) and the chunk-gap error p99 was lower in 9 of 10 pairs of such
// runs (medians 0.30 vs 0.40 ms) and 6 of 8 in `timing-ab 4`; but the send lag p99 at 5,000 req/s was
// higher in 3 of 4 (1.09 vs 0.73 ms), TTFT p99 moved either way, and peak RSS rose 3-10 MiB. The
// timer alone changed nothing (gap p99 lower in 1 of 4); a 16 MiB floor was within the runs' spread.
// Again on 2026-12-06 (6 pairs): TTFT p99 at 1,000 streams 0.48 vs 0.87 ms (6 of 6), but gap p99 even
// there and 1.79 vs 0.62 ms at 100 streams (2 of 6), RSS +9 MiB.
// Also dropped: BUN_JSC_useGenerationalGC=0 (every collection a full one). At 10,000 streams the load
// worker's heap then stays near what it holds, and the peak fell 446 -> 345 MiB (2 pairs); but the
// chunk-gap p99 rose 4.8 -> 7.8 ms and CPU 20%, and at 100 / 1,000 streams (4 pairs) TTFT p99 rose
// 0.71 -> 0.87 / 1.87 -> 2.85 ms, gap p99 1.08 -> 1.37 / 1.27 -> 2.12 ms and CPU 10-11%.
// And BUN_JSC_forceRAMSize=256 MiB (the heap then counts as large for the machine, and is collected
// whole sooner): at 100 / 1,000 streams about even (4 pairs, then 8 more at 1,000: TTFT p99 2.44 vs
// 2.92 ms, gap p99 1.33 vs 1.22 ms, CPU +3%, RSS 190 vs 209 MiB), at 10,000 streams 327 vs 437 MiB but TTFT p99
// 11.6 vs 6.9 ms, gap p99 8.0 vs 4.8 ms and CPU +12% (2 pairs); at 512 MiB the peak was 387 MiB (one run).
// The DFG tier off too (BUN_JSC_useDFGJIT=0, 4 pairs): at 100 streams (400 requests) tails lower and CPU
// equal, but at 1,000 (2,000 requests) gap p99 1.70 vs 1.11 ms and CPU +6%: the code stays slow.
// And mimalloc's purge delay (MIMALLOC_PURGE_DELAY; freed pages go back to the OS after 10 ms by
// default). Never purging (-1) cut page faults 75k -> 57k in a 1,000-stream run and CPU 2-6%, but peak
// RSS rose 16% (166 -> 192 MiB at 100 streams, 204 -> 237 at 1,000; 4 pairs). 1,000 ms kept RSS equal;
// over 8 pairs each at 100 / 1,000 streams CPU was lower in 5 of 8 and the p99s in 4-7 of 8, but it
// always ran second, and pairing another change the same day the arm run second had the lower TTFT p99
// at 100 streams in 8 of 10 pairs (3 of 6 with the order swapped). At 10,000 streams (5 pairs) the
// chunk-gap p99 was higher in 3 and equal in 1, CPU and RSS did not move; the send lag at 5,000 req/s
// was 0.71 vs 0.65 ms (6 pairs). Too small to ship. Again on 2026-12-05 (1,000 ms, `timing-ab 6`, the
// order alternating): at 1,000 streams CPU 3.51 vs 3.92 s (lower in 5 of 6), TTFT and gap p99 lower in
// 3 of 6; at 100 streams CPU lower in 3 of 6; RSS +1-2 MiB. Still not shipped.
// And the allocator's scavenger thread, which sweeps a thread's heap while it waits in epoll (a thread
// woken mid-sweep waits for it in sched_yield: 1,600-4,200 calls in 10 s of a 100-stream run). Its
// hole phase off (MIMALLOC_PURGE_HOLES=0) or no scavenger (MIMALLOC_SCAVENGER=0) took those to 13-19,
// but 6 pairs each at 100 / 1,000 streams stayed within the spread (TTFT p99 lower in 5 of 6 at 100,
// 1-3 of 6 at 1,000; gap p99 in 1-3 of 6), RSS +4-5 MiB with the first (bench/timing-ab-checkouts.md).
// And one parallel GC marker (BUN_JSC_numberOfGCMarkers=1; JavaScriptCore counts the machine's cores, not
// the ones taskset leaves): 6 pairs at 100 / 1,000 streams, tails and CPU lower in 2-5 of 6.
// And collections that stop the thread instead of marking beside it (BUN_JSC_useConcurrentGC=0), tried
// because at 10,000 streams the load worker's old generation grows ~3.5 MB with each young collection
// (BUN_JSC_logGC=1), and its full collections with every stream in flight take the heap from 63-139 MB
// to 36-41 MB. Not concurrent marking's doing: stopped collections kept as much, and each young one
// paused the thread 9-32 ms (most 9-15), full ones 32-63 ms; `scripts/rss-timeline.ts 10000`, 2 pairs:
// peak 397 / 447 vs 422 / 435 MiB.
// JavaScriptCore's heap block warm-up thread (JSCWarmUp) is off for the same commands: it touches the
// pages of heap blocks ahead of their use, on a core the load worker shares
// (7% of a 5,000 req/s run's CPU samples). Paired on 2026-12-05, the variable set in one arm only:
// `rate-ab 5000 4` twice: client CPU 108 vs 120% and 106 vs 115% of a core (lower in 7 of 8 pairs),
// sends over 0.2 ms late lower in 7 of 8; `timing-ab 3` at 1,000 streams: TTFT p99 2.73 vs 3.61 ms,
// gap p99 1.41 vs 1.81 ms, CPU 3.26 vs 3.59 s (3 of 3 each); at 100 streams within the spread; at
// 10,000 streams (2 pairs) peak RSS 403 / 407 vs 434 / 458 MiB and CPU 12.3 / 12.7 vs 13.0 / 17.6 s.
// JavaScriptCore reads its options from the environment once, at start, for every thread. So the
// process replaces itself (execve: the same pid, terminal, signals and exit code) with the variables
// set, before anything else runs. A variable the user set is left as it is (BUN_JSC_useFTLJIT=1 keeps
// the tier, BUN_JSC_useWarmUpMarkedBlocks=1 the warm-up thread).

/** A JavaScriptCore option the load commands run with, and the value they set it to. */
export interface LoadSetting {
  variable: string;
  value: string;
  /** What it turns off, for the run log. */
  what: string;
}

export const LOAD_SETTINGS: readonly LoadSetting[] = [
  { variable: "BUN_JSC_useFTLJIT", value: "0", what: "FTL tier" },
  { variable: "BUN_JSC_useWarmUpMarkedBlocks", value: "0", what: "heap block warm-up thread" },
];

/** Commands whose process generates load. */
const LOAD_COMMANDS = new Set(["profile", "demo"]);

export interface ReexecInputs {
  /** process.argv: [runtime, script, command, ...]; a compiled binary's script is its own bundled entry. */
  argv: readonly string[];
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  execPath: string;
  /** Running as the compiled binary, which puts its script in argv itself. */
  compiled: boolean;
}

/** The execve that restarts this process with the load settings, or null when it runs as it is. */
export function loadReexec(i: ReexecInputs): { file: string; args: string[]; env: Record<string, string> } | null {
  const unset = LOAD_SETTINGS.filter((s) => i.env[s.variable] === undefined);
  if (i.platform === "win32" || unset.length === 0) return null;
  const rest = i.argv.slice(2);
  if (!LOAD_COMMANDS.has(rest[0] ?? "") || rest.includes("--help") || rest.includes("-h")) return null;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(i.env)) if (v !== undefined) env[k] = v;
  for (const s of unset) env[s.variable] = s.value;
  return { file: i.execPath, args: [i.execPath, ...(i.compiled ? rest : i.argv.slice(1))], env };
}

/** The run log's line on the settings (the environment is the one the process started with). */
export function loadSettingsLine(env: Record<string, string | undefined>): string {
  const parts = LOAD_SETTINGS.map((s) => {
    const v = env[s.variable];
    if (v === undefined) return `${s.what} on`;
    return `${s.what} ${v === "0" || v === "false" ? "off" : "on"} (${s.variable}=${v})`;
  });
  return `JavaScriptCore's ${parts.join(", ")}`;
}

/** Restarts this process per loadReexec; returns (doing nothing) where it should not or cannot. */
export function reexecForLoad(): void {
  const plan = loadReexec({
    argv: process.argv,
    env: process.env,
    platform: process.platform,
    execPath: process.execPath,
    compiled: process.env.LLMBENCH_COMPILED === "1",
  });
  if (plan === null) return;
  const execve = (process as { execve?: (file: string, args: string[], env: Record<string, string>) => never }).execve;
  try {
    execve?.(plan.file, plan.args, plan.env);
  } catch {
    // No execve here (or it failed): the run goes on with the settings as they are.
  }
}
