// `bun scripts/bench.ts memory [N,N,...] [REPEATS]`: peak RSS of a whole profile run (the compiled binary,
// 4 output tokens, not streamed, 128 in flight) at each request count, the median of its RSS sampled every
// second, and how long the end-of-run statistics took, read from the run's log. Each count runs REPEATS
// times (default 3), alternating sizes, and the table gives each run and the medians: one run's peak swings
// by ~100 MB with when the heaps are collected. Records are never held in memory, so RSS should not grow
// with the request count.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { lowerInPairs, pairOrder, sameAgeBinaries } from "./bench-pairs.ts";
import { firstLine } from "./first-line.ts";

const ROOT = resolve(import.meta.dir, "..");
const BIN = join(ROOT, "dist", "llmbench");

async function startMock(): Promise<{ url: string; proc: ReturnType<typeof Bun.spawn> }> {
  const proc = Bun.spawn(["taskset", "-c", "1", BIN, "mock", "--port", "0", "--ttft-ms", "0", "--itl-ms", "0"], { stdout: "pipe", stderr: "ignore" });
  return { url: await firstLine(proc.stdout, () => "mock exited before printing its URL"), proc };
}

/** VmRSS of a running process in MiB, or null once it is gone. */
function rssMiB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

interface MemoryRun {
  requests: number;
  exit: number;
  peak_rss_mib: number;
  /** Median of the RSS sampled every second while the run lasted. */
  median_rss_mib: number;
  statistics_ms: number;
  /** User + system CPU of the run's process (s). */
  cpu_s: number;
  wall_s: number;
}

async function runOnce(n: number, concurrency = 128, workers: number | null = null, bin = BIN): Promise<MemoryRun> {
  const mock = await startMock();
  const dir = mkdtempSync(join(tmpdir(), "llmbench-mem-"));
  const t0 = performance.now();
  const args = ["profile", "-u", mock.url, "-m", "mock-model", "--tokenizer", "builtin", "--isl", "16", "--osl", "4", "--no-preflight"];
  args.push("--concurrency", String(concurrency), "--request-count", String(n), "--ui", "none", "--artifact-dir", join(dir, "run"));
  if (workers !== null) args.push("--workers", String(workers));
  const p = Bun.spawn(["taskset", "-c", "0", bin, ...args], { stdout: "ignore", stderr: "pipe" });
  const samples: number[] = [];
  const sampler = setInterval(() => {
    const v = rssMiB(p.pid);
    if (v !== null) samples.push(v);
  }, 1000);
  const code = await p.exited;
  clearInterval(sampler);
  const wall_s = (performance.now() - t0) / 1000;
  mock.proc.kill("SIGINT");
  await mock.proc.exited;
  const log = readFileSync(join(dir, "run", "logs", "llmbench.log"), "utf8");
  const resultsMs = Number(/statistics from \d+ records in ([\d.]+) ms/.exec(log)?.[1] ?? Number.NaN);
  rmSync(dir, { recursive: true, force: true });
  // Bun.spawn reports maxRSS in bytes.
  const usage = p.resourceUsage();
  const peak = Math.round((usage?.maxRSS ?? 0) / 2 ** 20);
  // cpuTime is in microseconds.
  const cpu_s = usage ? Number(usage.cpuTime.user + usage.cpuTime.system) / 1e6 : Number.NaN;
  return {
    requests: n,
    exit: code,
    peak_rss_mib: peak,
    median_rss_mib: samples.length > 0 ? median(samples) : Number.NaN,
    statistics_ms: resultsMs,
    cpu_s,
    wall_s,
  };
}

export async function memory(levels: number[], repeats = 3): Promise<Record<string, unknown>> {
  const runs: MemoryRun[] = [];
  // Sizes alternate (50k, 1M, 50k, 1M, ...) so a drift in the machine's state touches every size alike.
  for (let r = 0; r < repeats; r++) {
    for (const n of levels) {
      runs.push(await runOnce(n));
      console.error(`memory: ${JSON.stringify(runs.at(-1))}`);
    }
  }
  const medians = levels.map((n) => {
    const mine = runs.filter((x) => x.requests === n);
    return {
      requests: n,
      runs: mine.length,
      failed_runs: mine.filter((x) => x.exit !== 0).length,
      median_peak_rss_mib: median(mine.map((x) => x.peak_rss_mib)),
      median_of_median_rss_mib: median(mine.map((x) => x.median_rss_mib)),
      median_statistics_ms: median(mine.map((x) => x.statistics_ms)),
    };
  });
  return { results: medians, runs };
}

/**
 * `bun scripts/bench.ts small-run [W,W,...] [REPEATS]`: peak RSS and CPU of a 16-request run (8 in flight)
 * with each number of load workers (default 1, 4 and 8), REPEATS times (default 3), alternating: what a
 * short run costs before it sends anything (tokenizers, threads, DuckDB). With `other` (BENCH_B_MAIN, a
 * binary), each round runs this build and then that one (smallRunPairs).
 */
export async function smallRuns(workerCounts: number[], repeats = 3, other?: string): Promise<Record<string, unknown>> {
  if (other !== undefined) return smallRunPairs(workerCounts, repeats, other);
  const runs: (MemoryRun & { workers: number })[] = [];
  for (let r = 0; r < repeats; r++) {
    for (const w of workerCounts) {
      runs.push({ ...(await runOnce(16, 8, w)), workers: w });
      console.error(`small-run: ${JSON.stringify(runs.at(-1))}`);
    }
  }
  const results = workerCounts.map((w) => {
    const mine = runs.filter((x) => x.workers === w);
    return {
      workers: w,
      runs: mine.length,
      failed_runs: mine.filter((x) => x.exit !== 0).length,
      median_peak_rss_mib: median(mine.map((x) => x.peak_rss_mib)),
      median_cpu_s: median(mine.map((x) => x.cpu_s)),
      median_wall_s: median(mine.map((x) => x.wall_s)),
    };
  });
  return { results, runs: runs.map((x) => ({ workers: x.workers, exit: x.exit, peak_rss_mib: x.peak_rss_mib, cpu_s: x.cpu_s, wall_s: x.wall_s })) };
}

/**
 * This build against `other`, round after round in the same minutes: a few MiB of peak RSS move with
 * the page cache and with where the bundler put each function, so only pairs taken together resolve
 * them. Medians per arm, and in how many pairs this build was lower.
 */
async function smallRunPairs(workerCounts: number[], rounds: number, other: string): Promise<Record<string, unknown>> {
  const bins = sameAgeBinaries([BIN, other]);
  const arms = [
    { arm: "this", bin: bins.mains[0]! },
    { arm: "B", bin: bins.mains[1]! },
  ];
  const runs: (MemoryRun & { workers: number; arm: string })[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const w of workerCounts) {
      for (const a of pairOrder(arms, r)) {
        runs.push({ ...(await runOnce(16, 8, w, a.bin)), workers: w, arm: a.arm });
        console.error(`small-run: ${JSON.stringify(runs.at(-1))}`);
      }
    }
  }
  const results = workerCounts.flatMap((w) => {
    const of = (arm: string) => runs.filter((x) => x.workers === w && x.arm === arm);
    const [mine, theirs] = [of("this"), of("B")];
    const row = (arm: string, xs: MemoryRun[]) => ({
      workers: w,
      arm,
      runs: xs.length,
      failed_runs: xs.filter((x) => x.exit !== 0).length,
      median_peak_rss_mib: median(xs.map((x) => x.peak_rss_mib)),
      median_cpu_s: median(xs.map((x) => x.cpu_s)),
      this_lower_peak: "",
      this_lower_cpu: "",
    });
    const pairs = {
      workers: w,
      arm: "this vs B",
      runs: mine.length,
      failed_runs: "",
      median_peak_rss_mib: "",
      median_cpu_s: "",
      this_lower_peak: lowerInPairs(mine, theirs, (x) => x.peak_rss_mib),
      this_lower_cpu: lowerInPairs(mine, theirs, (x) => x.cpu_s),
    };
    return [row("this", mine), row("B", theirs), pairs];
  });
  bins.cleanup();
  return { results, runs: runs.map((x) => ({ workers: x.workers, arm: x.arm, exit: x.exit, peak_rss_mib: x.peak_rss_mib, cpu_s: x.cpu_s, wall_s: x.wall_s })) };
}
