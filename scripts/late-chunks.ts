// Where the chunk-gap tail comes from. Runs the 100-stream timing scenario (truth server on core 1, the
// binary on core 0, ITL 10 ms, 50 chunks) and, where `perf` can record sched_switch on core 0, which
// threads held that core while late chunks waited. A chunk is late when its gap error (client gap minus
// the server's) passes 0.5 ms; late chunks closer than 2 ms make one episode, whose window is the
// max error before its first stamp.
//   bun scripts/late-chunks.ts [requests=2000]      (BENCH_MAIN: another binary; BENCH_ENV="K=V ...")
// Prints the gap error percentiles, the episodes and the core's time by thread in their windows.
// Bench tooling: a diagnosis, not a figure of record (bench/timing.md is).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { percentileSorted } from "../src/metrics/stats.ts";
import { queryReadOnly } from "../src/store/read-db.ts";
import { envOf } from "./bench-pairs.ts";
import { pin, startTruthServer } from "./pinned-server.ts";

const ROOT = resolve(import.meta.dir, "..");
const BIN = process.env.BENCH_MAIN ?? join(ROOT, "dist", "llmbench");
const REQUESTS = Number(process.argv[2] ?? 2000);
const LATE_MS = 0.5;
const EPISODE_JOIN_NS = 2e6;

interface Truth {
  request_id: string;
  received_ns: number;
  chunks: number[];
}
interface Late {
  atNs: number;
  errMs: number;
}
interface Episode {
  startNs: number;
  n: number;
  maxMs: number;
}

/** Gap errors (ms) of steady profiling chunks: each client gap minus the server's gap. */
export function gapErrors(truth: Map<string, Truth>, rows: readonly (readonly unknown[])[]): Late[] {
  const out: Late[] = [];
  let prevId = "";
  let prevErrNs = 0;
  for (const [id, idx, at] of rows) {
    const sent = truth.get(String(id))?.chunks[Number(idx)];
    if (sent === undefined) continue;
    const errNs = Number(at) - sent;
    if (String(id) === prevId) out.push({ atNs: Number(at), errMs: (errNs - prevErrNs) / 1e6 });
    prevId = String(id);
    prevErrNs = errNs;
  }
  return out;
}

/** Late chunks (over LATE_MS) grouped into episodes: stamps closer than EPISODE_JOIN_NS join one. */
export function episodes(gaps: readonly Late[]): Episode[] {
  const late = gaps.filter((g) => g.errMs > LATE_MS).sort((a, b) => a.atNs - b.atNs);
  const out: Episode[] = [];
  let lastNs = Number.NEGATIVE_INFINITY;
  for (const g of late) {
    const e = out[out.length - 1];
    if (e !== undefined && g.atNs - lastNs < EPISODE_JOIN_NS) {
      e.n++;
      e.maxMs = Math.max(e.maxMs, g.errMs);
    } else out.push({ startNs: g.atNs, n: 1, maxMs: g.errMs });
    lastNs = g.atNs;
  }
  return out;
}

/** `perf script` sched_switch lines as (epoch ns, thread that took the core), in time order. */
export function switches(text: string, offsetNs: number): { atNs: number; thread: string }[] {
  const re = /^\s*([\d.]+):\s+sched:sched_switch:.*==> next_comm=(.*?) next_pid=(\d+)/;
  const out: { atNs: number; thread: string }[] = [];
  for (const line of text.split("\n")) {
    const m = re.exec(line);
    if (m) out.push({ atNs: Math.round(Number(m[1]) * 1e9) + offsetNs, thread: `${m[2]}:${m[3]}` });
  }
  return out.sort((a, b) => a.atNs - b.atNs);
}

/** ns each thread held the core in [fromNs, toNs]. */
export function heldBy(sw: readonly { atNs: number; thread: string }[], fromNs: number, toNs: number): Map<string, number> {
  const held = new Map<string, number>();
  let i = 0;
  while (i < sw.length && sw[i]!.atNs <= fromNs) i++;
  let cur = i > 0 ? sw[i - 1]!.thread : "?";
  let t = fromNs;
  for (; i < sw.length && sw[i]!.atNs < toNs; i++) {
    held.set(cur, (held.get(cur) ?? 0) + sw[i]!.atNs - t);
    t = sw[i]!.atNs;
    cur = sw[i]!.thread;
  }
  held.set(cur, (held.get(cur) ?? 0) + toNs - t);
  return held;
}

/** The p-th percentile (0-100) of sorted values, as every figure of the project is interpolated. */
const pct = (sorted: readonly number[], p: number): string => percentileSorted(sorted, p).toFixed(3);

/** Epoch ns minus CLOCK_MONOTONIC ns (perf's clock here), taken once through libc. */
function monotonicToEpochNs(): number {
  const { dlopen, FFIType, ptr } = require("bun:ffi") as typeof import("bun:ffi");
  const libc = dlopen("libc.so.6", { clock_gettime: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 } });
  const ts = new BigInt64Array(2);
  const CLOCK_MONOTONIC = 1;
  libc.symbols.clock_gettime(CLOCK_MONOTONIC, ptr(ts));
  const epochNs = (performance.timeOrigin + performance.now()) * 1e6;
  libc.close();
  return Math.round(epochNs - (Number(ts[0]) * 1e9 + Number(ts[1])));
}

const hasPerf = Bun.spawnSync(["sh", "-c", "command -v perf"]).exitCode === 0;

async function main(): Promise<void> {
  if (!existsSync(BIN)) throw new Error(`no binary at ${BIN}: run npm run build, or set BENCH_MAIN`);
  // Read before anything starts, so that a bad BENCH_ENV leaves no server behind.
  const env = { ...(process.env as Record<string, string>), BUN_CONFIG_MAX_HTTP_REQUESTS: "65535", ...envOf(process.env.BENCH_ENV ?? "", "BENCH_ENV") };
  const dir = mkdtempSync(join(tmpdir(), "llmbench-late-"));
  const truthPath = join(dir, "truth.jsonl");
  const { url, proc: server } = await startTruthServer(truthPath, 50, 10, 50);
  const offsetNs = monotonicToEpochNs();
  const schedPath = join(dir, "sched.data");
  const perf = hasPerf
    ? Bun.spawn(["perf", "record", "-q", "-e", "sched:sched_switch", "-C", "0", "-k", "CLOCK_MONOTONIC", "-o", schedPath], { stderr: "ignore" })
    : null;
  const client = Bun.spawnSync(
    pin(0, [BIN, "profile", "-u", url, "-m", "mock-model", "--tokenizer", "builtin", "--streaming", "--concurrency", "100"])
      .concat(["--request-count", String(REQUESTS), "--warmup-request-count", "100", "--isl", "32", "--osl", "50", "--ui", "none"])
      .concat(["--artifact-dir", join(dir, "run")]),
    { stdout: "ignore", stderr: "pipe", env },
  );
  perf?.kill("SIGINT");
  await perf?.exited;
  server.kill("SIGINT");
  await server.exited;
  if (client.exitCode !== 0) throw new Error(`profile failed: ${client.stderr.toString()}`);

  const truth = new Map<string, Truth>();
  for (const line of readFileSync(truthPath, "utf8").trim().split("\n")) {
    const t = JSON.parse(line) as Truth;
    truth.set(t.request_id, t);
  }
  // Steady requests only: the first wave after warmup starts all at once (as in bench.ts timing).
  const rows = await queryReadOnly(
    join(dir, "run", "results.duckdb"),
    "select r.x_request_id, c.chunk_index, c.arrival_ns from chunks c join requests r using (run_id, seq) where r.phase = 'profiling' and r.request_index >= 200 order by 1, 2",
  );
  const gaps = gapErrors(truth, rows.rows);
  const sorted = gaps.map((g) => g.errMs).sort((a, b) => a - b);
  const eps = episodes(gaps);
  const late = eps.reduce((n, e) => n + e.n, 0);
  console.log(`gap error (ms) over ${sorted.length} gaps: p50 ${pct(sorted, 50)} p90 ${pct(sorted, 90)} p99 ${pct(sorted, 99)} p99.9 ${pct(sorted, 99.9)}`);
  console.log(`${late} late chunks (over ${LATE_MS} ms) in ${eps.length} episodes`);
  if (perf !== null) {
    const text = Bun.spawnSync(["perf", "script", "-i", schedPath, "-F", "time,event,trace"], { stderr: "ignore" }).stdout.toString();
    const sw = switches(text, offsetNs);
    const total = new Map<string, number>();
    for (const e of eps) {
      const held = heldBy(sw, e.startNs - Math.round(e.maxMs * 1e6), e.startNs);
      for (const [k, v] of held) total.set(k, (total.get(k) ?? 0) + v);
      if (e.n >= 10)
        console.log(
          `  ${e.n} late, up to ${e.maxMs.toFixed(2)} ms: ${[...held]
            .sort((a, b) => b[1] - a[1])
            .map(([k, v]) => `${k} ${(v / 1e6).toFixed(2)} ms`)
            .join(", ")}`,
        );
    }
    console.log(
      `core 0 in the episodes' windows: ${[...total]
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${(v / 1e6).toFixed(1)} ms`)
        .join(", ")}`,
    );
  } else console.log("no perf here: no attribution by thread");
  rmSync(dir, { recursive: true, force: true });
}

if (import.meta.main) await main();
