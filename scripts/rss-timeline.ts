// Where a many-stream run's memory goes over time. Runs the 10,000-stream timing scenario (truth server on
// core 1, the binary on core 0, ITL 1,000 ms, 10 chunks, a warmup wave then two profiling waves) and
// samples the client's RSS every SAMPLE_MS; afterwards lines each second up with how many requests
// ended in it (results.duckdb) and says where the peak came and how many requests ended just before.
//   bun scripts/rss-timeline.ts [streams=10000] [profile flags...]   (BENCH_MAIN: another binary; BENCH_ENV="K=V ...")
// Prints one line per second (RSS, requests ended in that second) and the peak with the ends near it.
// Bench tooling: a diagnosis, not a figure of record (bench/capacity.md and bench/timing.md are).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { queryReadOnly } from "../src/store/read-db.ts";
import { envOf } from "./bench-pairs.ts";
import { pin, startTruthServer } from "./pinned-server.ts";

const ROOT = resolve(import.meta.dir, "..");
const BIN = process.env.BENCH_MAIN ?? join(ROOT, "dist", "llmbench");
const STREAMS = Number(process.argv[2] ?? 10_000);
/** More `profile` flags, to compare settings (e.g. --storage-priority normal). */
const EXTRA = process.argv.slice(3);
const SAMPLE_MS = 100;
/** Ends this long (ms) before the peak's sample count toward it: RSS rose for 1-2 s after a wave's ends. */
const BEFORE_MS = 3000;

export interface Sample {
  /** Epoch ms of the sample. */
  atMs: number;
  rssMib: number;
}

/** VmRSS (MiB) from a /proc/PID/status text, or null when it has none (the process is gone). */
export function vmRssMib(status: string): number | null {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return m ? Math.round(Number(m[1]) / 1024) : null;
}

/** Per whole second from `t0Ms`: the highest RSS sampled in it and how many of `endsMs` fall in it. */
export function perSecond(samples: readonly Sample[], endsMs: readonly number[], t0Ms: number): { s: number; rssMib: number; ended: number }[] {
  const rows = new Map<number, { s: number; rssMib: number; ended: number }>();
  const row = (ms: number) => {
    const s = Math.floor((ms - t0Ms) / 1000);
    let r = rows.get(s);
    if (r === undefined) rows.set(s, (r = { s, rssMib: 0, ended: 0 }));
    return r;
  };
  for (const x of samples) {
    const r = row(x.atMs);
    r.rssMib = Math.max(r.rssMib, x.rssMib);
  }
  for (const e of endsMs) if (e >= t0Ms) row(e).ended++;
  return [...rows.values()].sort((a, b) => a.s - b.s);
}

/** The highest sample (the first of equals) and how many ends lie in the `beforeMs` up to it; null without samples. */
export function peakWithEnds(samples: readonly Sample[], endsMs: readonly number[], beforeMs: number): { peak: Sample; endsBefore: number } | null {
  let peak: Sample | null = null;
  for (const x of samples) if (peak === null || x.rssMib > peak.rssMib) peak = x;
  if (peak === null) return null;
  const at = peak.atMs;
  return { peak, endsBefore: endsMs.filter((e) => e <= at && e >= at - beforeMs).length };
}

async function main(): Promise<void> {
  if (!existsSync(BIN)) throw new Error(`no binary at ${BIN}: run npm run build, or set BENCH_MAIN`);
  if (!(STREAMS > 0)) throw new Error("usage: bun scripts/rss-timeline.ts [streams]");
  const env = { ...(process.env as Record<string, string>), BUN_CONFIG_MAX_HTTP_REQUESTS: "65535", ...envOf(process.env.BENCH_ENV ?? "", "BENCH_ENV") };
  const dir = mkdtempSync(join(tmpdir(), "llmbench-rss-"));
  const { url, proc: server } = await startTruthServer(join(dir, "truth.jsonl"), 50, 1000, 10);
  const t0Ms = Date.now();
  const client = Bun.spawn(
    pin(0, [BIN, "profile", "-u", url, "-m", "mock-model", "--tokenizer", "builtin", "--streaming", "--concurrency", String(STREAMS)])
      .concat(["--request-count", String(2 * STREAMS), "--warmup-request-count", String(STREAMS), "--isl", "32", "--osl", "10", "--ui", "none"])
      .concat(["--artifact-dir", join(dir, "run"), ...EXTRA]),
    { stdout: "ignore", stderr: "pipe", env },
  );
  const stderr = new Response(client.stderr).text();
  const samples: Sample[] = [];
  let done = false;
  void client.exited.then(() => (done = true));
  while (!done) {
    // The restart without the FTL tier (execve) keeps the pid.
    const rss = vmRssMib(
      await Bun.file(`/proc/${client.pid}/status`)
        .text()
        .catch(() => ""),
    );
    if (rss !== null) samples.push({ atMs: Date.now(), rssMib: rss });
    await Bun.sleep(SAMPLE_MS);
  }
  server.kill("SIGINT");
  await server.exited;
  if (client.exitCode !== 0) throw new Error(`profile failed: ${await stderr}`);

  const ends = await queryReadOnly(join(dir, "run", "results.duckdb"), "select end_ns from requests");
  const endsMs = ends.rows.map(([e]) => Number(e) / 1e6);
  const log = readFileSync(join(dir, "run", "logs", "llmbench.log"), "utf8");
  console.log(`${STREAMS} streams, ${endsMs.length} requests; the run's own figure: ${/peak RSS \d+ MiB/.exec(log)?.[0] ?? "no peak logged"}`);
  console.log("second  RSS MiB  requests ended");
  for (const r of perSecond(samples, endsMs, t0Ms)) console.log(`${String(r.s).padStart(6)}  ${String(r.rssMib).padStart(7)}  ${r.ended}`);
  const p = peakWithEnds(samples, endsMs, BEFORE_MS);
  if (p !== null)
    console.log(
      `peak ${p.peak.rssMib} MiB at ${((p.peak.atMs - t0Ms) / 1000).toFixed(1)} s; requests ended in the ${BEFORE_MS / 1000} s before it: ${p.endsBefore}`,
    );
  rmSync(dir, { recursive: true, force: true });
}

if (import.meta.main) await main();
