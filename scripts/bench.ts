// Benchmarks llmbench against its own mock and writes bench/<name>.json + a markdown table.
//
//   bun scripts/bench.ts timing      client timing error vs a raw-socket truth server (scripts/truth-server.ts)
//   bun scripts/bench.ts timing-ab [N]  the http timing scenarios N times with the dashboard off and on,
//                                    alternating (each round the other arm first); medians and on/off ratios. With BENCH_B_MAIN=<binary or checkout/src/main.ts>
//                                    and/or BENCH_B_ENV="KEY=VALUE ..." (arm B's environment):
//                                    this checkout (or BENCH_A_MAIN's) against that one instead
//                                    (bench/timing-ab-checkouts.md); BENCH_STREAMS=1000: that scenario only
//                                    (the 10,000-stream one runs in timing-ab only when named so)
//                                    that stamps each chunk after socket.write, per transport, at 100,
//                                    1,000 and (http only) 10,000 concurrent streams (--mock: against llmbench mock's --record;
//                                    --ui dashboard|simple: the client with that live view, under an 80x24
//                                    pseudo-terminal (script(1)), to compare with the default --ui none)
//   bun scripts/bench.ts capacity [levels]  highest concurrent stream count with every request succeeding;
//                                    peak RSS per stream, and per stream added from the level before
//                                    (BENCH_ISL=<tokens>: prompts of that length, 32 by default;
//                                    BENCH_MAIN: another client, as below)
//   bun scripts/bench.ts client-memory [levels]  peak RSS of the client path alone (scripts/client-path.ts)
//                                    and of the naive client, per stream and per added stream
//   bun scripts/bench.ts faults      the fault matrix: requests sent, records written, classification
//   bun scripts/bench.ts rate        open-loop pacing: achieved vs requested rate and send lag at
//                                    100, 1,000 and 5,000 req/s (constant), with the client's CPU use
//   bun scripts/bench.ts rate-ab [RATE] [ROUNDS]  this build against arm B at one constant rate (5,000 req/s,
//                                    6 rounds by default), alternating: B is BENCH_B_MAIN=<binary> and/or this build
//                                    with BENCH_B_ENV="KEY=VALUE ..." in its environment; send lag p99, sends over
//                                    0.2 ms late and CPU, medians and in how many pairs this build was lower
//                                    (rate, rate-ab: BENCH_CLIENT_CORE=0 confines the client to core 0)
//   bun scripts/bench.ts replay      the shared Mooncake trace at --trace-speedup 20 (BENCH_MAIN: another checkout): time to first
//                                    request and replay lag (actual minus scheduled send)
//   bun scripts/bench.ts memory      peak and median RSS of whole runs of 50,000 and 1,000,000 requests
//                                    (the compiled binary), 3 runs of each, and how long the end-of-run
//                                    statistics took
//   bun scripts/bench.ts record-post [batches] [rounds]  CPU of each thread to hand 16 finished records to
//                                    another thread, as objects (structured clone) and encoded (record-codec.ts)
//   bun scripts/bench.ts worker-objects  the load worker's JavaScript objects per request and per chunk
//                                    (collection off; scripts/bench-worker-objects.ts)
//   bun scripts/bench.ts small-run   peak RSS and CPU of a 16-request run with 1, 4 and 8 load workers
//                                    (3 runs of each): what a run costs before it sends anything;
//                                    BENCH_B_MAIN=<binary>: this build and that one in alternating rounds
//                                    (bench/small-run-ab.md; `small-run 1,4 8` for 8 rounds)
//   bun scripts/bench.ts dashboard   the live view's cost on the main thread: a record into LiveStats, a
//                                    snapshot, a dashboard frame (render + diff) at 80x24 and 200x60, and
//                                    loading its modules (a second or two; see docs/dashboard.md)
//   bun scripts/bench.ts store-summary   in-process, no server: N synthetic records (50,000 and
//                                    1,000,000; 20 chunks each) appended through ResultsWriter, then the
//                                    SQL summary, slices, schedule report and counts timed, with RSS after
//                                    each; each N in a fresh process (bench/store-summary.md)
//   bun scripts/bench.ts plot        `llmbench plot` time (queries, HTML, PNGs; in-process and the binary) and
//                                    report sizes for synthetic runs of 10,000 and 1,000,000 requests and a
//                                    3-point sweep (see docs/plots.md)
//   bun scripts/bench.ts abort-listeners [levels]  a request's cancel listener (remove + add) on a signal
//                                    100, 1,000 and 10,000 requests listen to: EventTarget's list against
//                                    src/runtime/abort-fanout.ts (in process)
//   bun scripts/bench.ts line-writer [rounds]  ns a line to write 20,000 JSONL-like lines (ropes, ~1.6 KB):
//                                    src/store/line-writer.ts against joining and encoding at each write
//   bun scripts/bench.ts block-prompts [prompts] [rounds]  CPU to build the shared Mooncake trace's first
//                                    prompts (1,500 by default) with first-try blocks remembered and with every
//                                    block counted (in process; scripts/bench-block-prompts.ts)
//
// The client is the compiled binary (dist/llmbench: `npm run build` first), as users run it;
// BENCH_MAIN=<binary or checkout/src/main.ts> runs another.
// The mock runs in its own process pinned to one core (taskset), the client on the other, so the
// numbers are the client's error, not the server's. One wave of warmup requests (= concurrency) runs first
// and is left out, as a user would run --warmup-request-count. Compare within one run: machines are noisy.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { queryReadOnly } from "../src/store/read-db.ts";
import { percentileSorted } from "../src/metrics/stats.ts";
import { abortListeners } from "./bench-abort.ts";
import { blockPromptsBench } from "./bench-block-prompts.ts";
import { lineWriterBench } from "./bench-line-writer.ts";
import { memory, smallRuns } from "./bench-memory.ts";
import { envOf, lowerInPairs, pairOrder, sameAgeBinaries } from "./bench-pairs.ts";
import { plotBench } from "./bench-plot.ts";
import { tokenizerLoad } from "./bench-tokenizer.ts";
import { hasTaskset, pin, startServerOnCore1, startTruthServer } from "./pinned-server.ts";

const ROOT = resolve(import.meta.dir, "..");
const BUN = process.execPath;
const MAIN = join(ROOT, "src/main.ts");
/**
 * The client the benches run: the compiled binary, as users run it (`npm run build` first), or
 * BENCH_MAIN: another binary or a checkout's src/main.ts (run from source, which costs ~0.2 s more CPU a run).
 */
const CLIENT = process.env.BENCH_MAIN ?? join(ROOT, "dist", "llmbench");
/** The command that runs `main`: a TypeScript entry through Bun, a binary as it is. */
const clientCommand = (main: string): string[] => {
  if (!main.endsWith(".ts") && !existsSync(main)) throw new Error(`no client at ${main}: run npm run build, or set BENCH_MAIN`);
  return main.endsWith(".ts") ? [BUN, main] : [main];
};
/** `llmbench profile` (by `main`: the binary unless BENCH_MAIN says otherwise) against the mock's model with the builtin tokenizer; each bench adds its flags. */
const profileCommand = (url: string, main: string = CLIENT): string[] => [
  ...clientCommand(main),
  "profile",
  "-u",
  url,
  "-m",
  "mock-model",
  "--tokenizer",
  "builtin",
];

/** Prompt length of the timing and capacity runs (tokens). */
const BENCH_ISL = Number(process.env.BENCH_ISL ?? 32);
/** `timing`, `rate` and `replay`: extra client flags from BENCH_CLIENT_FLAGS (e.g. "--storage-priority normal"), to pair runs with a feature off. */
const CLIENT_FLAGS = (process.env.BENCH_CLIENT_FLAGS ?? "").split(" ").filter((f) => f !== "");
/** `timing --ui dashboard|simple`: the client's live view (default none). */
const uiAt = process.argv.indexOf("--ui");
const CLIENT_UI = uiAt > 0 ? (process.argv[uiAt + 1] ?? "none") : "none";
if (!["none", "simple", "dashboard"].includes(CLIENT_UI)) throw new Error(`--ui must be none, simple or dashboard, got ${CLIENT_UI}`);

/** `cmd` on a pseudo-terminal of 80x24 (script(1) from util-linux), so a live view draws as on a terminal. */
function onTerminal(cmd: string[]): string[] {
  const quoted = cmd.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  return ["script", "-qec", `stty cols 80 rows 24; exec ${quoted}`, "/dev/null"];
}

interface MockHandle {
  url: string;
  proc: ReturnType<typeof Bun.spawn>;
  recordPath: string;
}

type ServerKind = "truth" | "mock";

async function startServer(kind: ServerKind, dir: string, ttftMs: number, itlMs: number, tokens: number): Promise<MockHandle> {
  const recordPath = join(dir, "truth.jsonl");
  const { url, proc } =
    kind === "truth"
      ? await startTruthServer(recordPath, ttftMs, itlMs, tokens)
      : await startServerOnCore1([BUN, MAIN, "mock", "--port", "0", "--record", recordPath, "--ttft-ms", String(ttftMs), "--itl-ms", String(itlMs)]);
  return { url, proc, recordPath };
}

async function stopServer(m: MockHandle): Promise<void> {
  m.proc.kill("SIGINT");
  await m.proc.exited;
}

interface TruthLine {
  request_id: string;
  received_ns: number;
  /** When each token-carrying chunk was written. */
  sent_ns: number[];
}

/** Both servers' record lines as (received, chunk send times). */
function parseTruth(kind: ServerKind, line: string): TruthLine {
  const j = JSON.parse(line) as { request_id: string; received_ns: number; chunks: (number | { sent_ns: number; tokens: number })[] };
  const sent_ns =
    kind === "truth" ? (j.chunks as number[]) : (j.chunks as { sent_ns: number; tokens: number }[]).filter((c) => c.tokens > 0).map((c) => c.sent_ns);
  return { request_id: j.request_id, received_ns: j.received_ns, sent_ns };
}

interface ErrorStats {
  requests: number;
  failed: number;
  ttft_err_p50_ms: number;
  ttft_err_p99_ms: number;
  ttft_err_p99_all_ms: number;
  /** The TTFT error's two halves: client send stamp -> server received it, and server wrote the first chunk -> client stamped its arrival. */
  ttft_send_p50_ms: number;
  ttft_send_p99_ms: number;
  ttft_stamp_p50_ms: number;
  ttft_stamp_p99_ms: number;
  gap_err_p50_ms: number;
  gap_err_p99_ms: number;
  chunks_per_s: number;
  wall_s: number;
  /** Peak RSS of the client process (all threads). */
  peak_rss_mib: number;
  rss_kib_per_stream: number;
}

const pct = (xs: number[], p: number) => {
  const s = Float64Array.from(xs).sort();
  return s.length ? percentileSorted(s, p) : NaN;
};

/** Runs one profile and compares its results.duckdb with the mock's record. */
async function timingRun(
  server: ServerKind,
  transport: string,
  concurrency: number,
  requests: number,
  itlMs: number,
  osl: number,
  ui: string = CLIENT_UI,
  main: string = CLIENT,
  clientEnv: Record<string, string> = {},
): Promise<ErrorStats & ClientCpu> {
  const dir = mkdtempSync(join(tmpdir(), "llmbench-bench-"));
  const mock = await startServer(server, dir, 50, itlMs, osl);
  const t0 = performance.now();
  const client = [
    ...profileCommand(mock.url, main),
    "--streaming",
    "--concurrency",
    String(concurrency),
    "--request-count",
    String(requests),
    "--warmup-request-count",
    String(concurrency),
    "--isl",
    String(BENCH_ISL),
    "--osl",
    String(osl),
    "--transport",
    transport,
    "--artifact-dir",
    join(dir, "run"),
    "--ui",
    ui,
    ...CLIENT_FLAGS,
  ];
  const prof = Bun.spawnSync(pin(0, ui === "none" ? client : onTerminal(client)), {
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: "65535", LANG: "C.UTF-8", ...clientEnv },
  });
  const wall_s = (performance.now() - t0) / 1000;
  await stopServer(mock);
  const log = readFileSync(join(dir, "run", "logs", "llmbench.log"), "utf8");
  const peak_rss_mib = Number(/peak RSS (\d+) MiB/.exec(log)?.[1] ?? NaN);
  const phase_cpu_ms_per_request = Number(/client CPU in the profiling phase: .*?, ([\d.]+) ms a request/.exec(log)?.[1] ?? NaN);
  if (prof.exitCode !== 0 && prof.exitCode !== 1) throw new Error(`profile failed: ${prof.stderr.toString()}`);
  const truth = readTruth(server, mock.recordPath);
  const db = join(dir, "run", "results.duckdb");
  // The profiling phase starts after warmup drained (as AIPerf's phases do), so its first wave of
  // `concurrency` requests goes out at once; steady-state figures leave that burst out, *_all keep it.
  const reqs = await queryReadOnly(
    db,
    `select x_request_id, start_ns, error_type, request_index >= ${2 * concurrency} as steady from requests where phase = 'profiling'`,
  );
  const chunks = await queryReadOnly(
    db,
    "select r.x_request_id, c.chunk_index, c.arrival_ns from chunks c join requests r using (run_id, seq) order by r.x_request_id, c.chunk_index",
  );
  const arrivals = new Map<string, number[]>();
  for (const [id, , at] of chunks.rows) {
    const list = arrivals.get(String(id)) ?? [];
    list.push(Number(at));
    arrivals.set(String(id), list);
  }
  const seen: ClientRequest[] = reqs.rows.map(([id, start, err, steady]) => ({
    id: String(id),
    startNs: Number(start),
    arrivalsNs: arrivals.get(String(id)) ?? [],
    failed: err !== null,
    steady: steady === true,
  }));
  rmSync(dir, { recursive: true, force: true });
  const cpu = prof.resourceUsage?.cpuTime;
  return { ...errorStats(truth, seen, wall_s, peak_rss_mib, concurrency), cpu_s: cpu ? Number(cpu.user + cpu.system) / 1e6 : NaN, phase_cpu_ms_per_request };
}

/**
 * A client's CPU (user + system): the whole run's (s), and per request in the steady part alone (ms):
 * llmbench's profiling phase (its log's line) and the naive client's requests after its warmup wave.
 */
interface ClientCpu {
  cpu_s: number;
  phase_cpu_ms_per_request: number;
}

/** One request as a client saw it: when it was sent and when each content chunk arrived. */
interface ClientRequest {
  id: string;
  startNs: number;
  arrivalsNs: number[];
  failed: boolean;
  /** Past the first profiling wave (the burst after warmup). */
  steady: boolean;
}

function readTruth(server: ServerKind, path: string): Map<string, TruthLine> {
  const truth = new Map<string, TruthLine>();
  for (const l of readFileSync(path, "utf8").trim().split("\n")) {
    const t = parseTruth(server, l);
    truth.set(t.request_id, t);
  }
  return truth;
}

/** A client's timing error against the server's record of when it received and wrote. */
function errorStats(truth: Map<string, TruthLine>, seen: ClientRequest[], wall_s: number, peak_rss_mib: number, concurrency: number): ErrorStats {
  const ttftErr: number[] = [];
  const ttftErrAll: number[] = [];
  const ttftSend: number[] = [];
  const ttftStamp: number[] = [];
  const gapErr: number[] = [];
  let failed = 0;
  let chunkCount = 0;
  for (const r of seen) {
    if (r.failed) {
      failed++;
      continue;
    }
    const t = truth.get(r.id);
    const a = r.arrivalsNs;
    const sent = t?.sent_ns ?? [];
    if (!t || sent.length === 0 || a.length === 0) continue;
    // TTFT error: client TTFT minus server TTFT (client send -> server receive is network + parse).
    const e = (a[0]! - r.startNs - (sent[0]! - t.received_ns)) / 1e6;
    ttftErrAll.push(e);
    chunkCount += a.length;
    if (!r.steady) continue;
    ttftErr.push(e);
    ttftSend.push((t.received_ns - r.startNs) / 1e6);
    ttftStamp.push((a[0]! - sent[0]!) / 1e6);
    for (let i = 1; i < Math.min(a.length, sent.length); i++) {
      gapErr.push(Math.abs(a[i]! - a[i - 1]! - (sent[i]! - sent[i - 1]!)) / 1e6);
    }
  }
  return {
    requests: seen.length,
    failed,
    ttft_err_p50_ms: pct(ttftErr, 50),
    ttft_err_p99_ms: pct(ttftErr, 99),
    ttft_err_p99_all_ms: pct(ttftErrAll, 99),
    ttft_send_p50_ms: pct(ttftSend, 50),
    ttft_send_p99_ms: pct(ttftSend, 99),
    ttft_stamp_p50_ms: pct(ttftStamp, 50),
    ttft_stamp_p99_ms: pct(ttftStamp, 99),
    gap_err_p50_ms: pct(gapErr, 50),
    gap_err_p99_ms: pct(gapErr, 99),
    chunks_per_s: chunkCount / wall_s,
    wall_s,
    peak_rss_mib,
    rss_kib_per_stream: (peak_rss_mib * 1024) / concurrency,
  };
}

/** The naive single-thread client (scripts/naive-client.ts) in the same scenario: the floor to compare with. */
async function naiveRun(concurrency: number, requests: number, itlMs: number, osl: number): Promise<ErrorStats & ClientCpu> {
  const dir = mkdtempSync(join(tmpdir(), "llmbench-naive-"));
  const mock = await startServer("truth", dir, 50, itlMs, osl);
  const out = join(dir, "naive.jsonl");
  const t0 = performance.now();
  // One warmup wave first, as the llmbench runs have; the first wave after it is the unsteady one.
  const p = Bun.spawnSync(pin(0, [BUN, join(ROOT, "scripts/naive-client.ts"), mock.url, String(concurrency), String(requests + concurrency), out]), {
    stdout: "pipe",
    stderr: "pipe",
  });
  const wall_s = (performance.now() - t0) / 1000;
  await stopServer(mock);
  if (p.exitCode !== 0) throw new Error(`naive client failed: ${p.stderr.toString()}`);
  const lines = readFileSync(out, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { request_id: string; index: number; start_ns: number; chunks: number[] });
  const seen: ClientRequest[] = lines
    .filter((l) => l.index >= concurrency)
    .map((l) => ({ id: l.request_id, startNs: l.start_ns, arrivalsNs: l.chunks, failed: false, steady: l.index >= 2 * concurrency }));
  const truth = readTruth("truth", mock.recordPath);
  rmSync(dir, { recursive: true, force: true });
  const peak = Math.round((p.resourceUsage?.maxRSS ?? 0) / 2 ** 20);
  const [cpu_s = NaN, steady_s = NaN] = p.stdout.toString().trim().split(/\s+/).map(Number);
  const stats = errorStats(truth, seen, wall_s, peak, concurrency);
  return { ...stats, cpu_s, phase_cpu_ms_per_request: (steady_s * 1000) / stats.requests };
}

interface TimingScenario {
  name: string;
  concurrency: number;
  requests: number;
  itlMs: number;
  osl: number;
  /** llmbench's transports run (default http and fetch). */
  transports?: readonly string[];
  /** timing-ab runs it only when BENCH_STREAMS names it (a run takes about a minute). */
  pairOnlyWhenNamed?: boolean;
}

const TIMING_SCENARIOS: TimingScenario[] = [
  { name: "100 streams, ITL 10 ms", concurrency: 100, requests: 400, itlMs: 10, osl: 50 },
  { name: "1,000 streams, ITL 100 ms", concurrency: 1000, requests: 2000, itlMs: 100, osl: 20 },
  // The same 10,000 chunks a second as at 1,000 streams, over ten times the connections (the issue's
  // target there: error p99 within 3x of the naive client). http only: fetch holds at most 256 in
  // flight unless told otherwise, and this is about the socket transport's streams.
  { name: "10,000 streams, ITL 1,000 ms", concurrency: 10_000, requests: 20_000, itlMs: 1000, osl: 10, transports: ["http"], pairOnlyWhenNamed: true },
];

/** BENCH_STREAMS=1000: only the scenarios of that many streams; else all (timing-ab: all but those run only when named). */
function scenariosToRun(paired: boolean): TimingScenario[] {
  const only = process.env.BENCH_STREAMS === undefined ? null : Number(process.env.BENCH_STREAMS);
  return TIMING_SCENARIOS.filter((x) => (only === null ? !(paired && x.pairOnlyWhenNamed === true) : x.concurrency === only));
}

/**
 * `timing-ab [N]`: each http scenario N times with the live view off (none) and on (dashboard), the two
 * alternating so the machine's drift hits both alike, and each round the other one first (pairOrder);
 * the median of each error figure and on/off ratios.
 */
async function timingAb(): Promise<Record<string, unknown>> {
  const n = Number(process.argv[3] ?? 3);
  const figures = [
    "ttft_err_p50_ms",
    "ttft_err_p99_ms",
    "ttft_send_p50_ms",
    "ttft_stamp_p50_ms",
    "gap_err_p50_ms",
    "gap_err_p99_ms",
    "cpu_s",
    "peak_rss_mib",
  ] as const;
  // BENCH_B_MAIN=<other checkout>/src/main.ts and/or BENCH_B_ENV="KEY=VALUE ...": this checkout against
  // that one, or against itself with those variables (both --ui none); else the dashboard off and on.
  const other = process.env.BENCH_B_MAIN;
  const bEnv = envOf(process.env.BENCH_B_ENV ?? "", "BENCH_B_ENV");
  // Only a pair of builds needs its binaries copied (the dashboard pair runs one binary).
  const bins = other || process.env.BENCH_B_ENV ? sameAgeBinaries([process.env.BENCH_A_MAIN ?? CLIENT, other ?? CLIENT]) : null;
  const arms: { name: string; ui: string; main: string; env: Record<string, string> }[] =
    bins !== null
      ? [
          { name: "this", ui: "none", main: bins.mains[0]!, env: {} },
          { name: "B", ui: "none", main: bins.mains[1]!, env: bEnv },
        ]
      : [
          { name: "none", ui: "none", main: CLIENT, env: {} },
          { name: "dashboard", ui: "dashboard", main: CLIENT, env: {} },
        ];
  const out: Record<string, unknown>[] = [];
  for (const s of scenariosToRun(true)) {
    const runs: Record<string, (ErrorStats & ClientCpu)[]> = Object.fromEntries(arms.map((a) => [a.name, []]));
    for (let i = 0; i < n; i++) {
      for (const a of pairOrder(arms, i)) {
        const r = await timingRun("truth", "http", s.concurrency, s.requests, s.itlMs, s.osl, a.ui, a.main, a.env);
        console.error(`${s.name} ${a.name} #${i + 1}: ${JSON.stringify(r)}`);
        runs[a.name]!.push(r);
      }
    }
    const med = (arm: string, f: (typeof figures)[number]): number =>
      pct(
        runs[arm]!.map((r) => r[f]),
        50,
      );
    for (const a of arms) out.push({ scenario: s.name, arm: a.name, runs: n, ...Object.fromEntries(figures.map((f) => [`median_${f}`, med(a.name, f)])) });
    const [x, y] = [arms[1]!.name, arms[0]!.name];
    out.push({ scenario: s.name, arm: `${x} / ${y}`, runs: n, ...Object.fromEntries(figures.map((f) => [`median_${f}`, med(x, f) / med(y, f)])) });
  }
  bins?.cleanup();
  return { results: out };
}

/**
 * Figures compared as llmbench / naive client in one run (issue targets: error p99 within 2x, CPU per
 * request 1.5x; that CPU whole, after each client's cost of a one-request run, and in the steady part
 * alone: llmbench's profiling phase against the naive client's requests after its warmup wave).
 */
const RATIO_FIGURES = [
  "ttft_err_p50_ms",
  "ttft_err_p99_ms",
  "gap_err_p50_ms",
  "gap_err_p99_ms",
  "cpu_ms_per_request",
  "cpu_ms_per_request_after_start",
  "phase_cpu_ms_per_request",
] as const;

async function timing(): Promise<Record<string, unknown>> {
  const server: ServerKind = process.argv.includes("--mock") ? "mock" : "truth";
  const scenarios = scenariosToRun(false);
  const out: Record<string, unknown>[] = [];
  // What a client pays whatever the run's length (start, one request after one warmup request, the
  // statistics and exports, exit): its CPU per request "after start" leaves it out.
  const startCpu = {
    llmbench: (await timingRun(server, "http", 1, 1, 10, 50)).cpu_s,
    naive: server === "truth" ? (await naiveRun(1, 1, 10, 50)).cpu_s : NaN,
  };
  console.error(`a run of one request (CPU s): ${JSON.stringify(startCpu)}`);
  const perRequest = (r: ErrorStats & ClientCpu, start_cpu_s: number) => ({
    ...r,
    cpu_ms_per_request: (r.cpu_s * 1000) / r.requests,
    start_cpu_s,
    cpu_ms_per_request_after_start: ((r.cpu_s - start_cpu_s) * 1000) / r.requests,
  });
  for (const s of scenarios) {
    // The naive client needs the truth server's record; against --mock only llmbench's transports run.
    const naive = server === "truth" ? perRequest(await naiveRun(s.concurrency, s.requests, s.itlMs, s.osl), startCpu.naive) : null;
    if (naive) {
      console.error(`${s.name} naive: ${JSON.stringify(naive)}`);
      out.push({ scenario: s.name, server, client: "naive Bun.connect", ui: "-", ...naive });
    }
    for (const transport of s.transports ?? ["http", "fetch"]) {
      const r = perRequest(await timingRun(server, transport, s.concurrency, s.requests, s.itlMs, s.osl), startCpu.llmbench);
      console.error(`${s.name} ${transport}: ${JSON.stringify(r)}`);
      out.push({ scenario: s.name, server, client: `llmbench ${transport}`, ui: CLIENT_UI, ...r });
      if (naive && transport === "http") {
        const ratio = Object.fromEntries(RATIO_FIGURES.map((f) => [f, r[f] / naive[f]]));
        out.push({ scenario: s.name, server, client: "llmbench http / naive (ratio)", ui: CLIENT_UI, ...ratio });
      }
    }
  }
  return { results: out };
}

/**
 * `client-memory [levels]`: peak RSS of llmbench's client path alone (scripts/client-path.ts: transport,
 * request runner, deferred parsing; no storage or workers) and of the naive client at each stream
 * count, three requests per stream (ITL 100 ms, 20 chunks); per stream, and per stream added since the
 * level before (the process's fixed cost left out).
 */
async function clientMemory(levels: number[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown>[] = [];
  const prev: Record<string, { c: number; peak: number }> = {};
  for (const c of levels) {
    for (const client of ["naive", "client-path"]) {
      const dir = mkdtempSync(join(tmpdir(), "llmbench-client-memory-"));
      const server = await startServer("truth", dir, 50, 100, 20);
      const cmd =
        client === "naive"
          ? [BUN, join(ROOT, "scripts/naive-client.ts"), server.url, String(c), String(3 * c), join(dir, "naive.jsonl")]
          : [BUN, join(ROOT, "scripts/client-path.ts"), `${server.url}/v1/chat/completions`, String(c), "3"];
      const p = Bun.spawnSync(pin(0, cmd), { stdout: "pipe", stderr: "pipe", env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: "65535" } });
      await stopServer(server);
      rmSync(dir, { recursive: true, force: true });
      if (p.exitCode !== 0) throw new Error(`${client} failed: ${p.stderr.toString()}`);
      // The naive client prints its CPU seconds; its peak is the OS's (maxRSS, bytes here).
      const peak =
        client === "naive"
          ? Math.round((p.resourceUsage?.maxRSS ?? 0) / 2 ** 20)
          : (JSON.parse(p.stdout.toString().trim()) as { peak_rss_mib: number }).peak_rss_mib;
      const before = prev[client];
      const row = {
        streams: c,
        client,
        peak_rss_mib: peak,
        kib_per_stream: (peak * 1024) / c,
        kib_per_added_stream: before === undefined ? NaN : ((peak - before.peak) * 1024) / (c - before.c),
      };
      prev[client] = { c, peak };
      console.error(`client-memory ${JSON.stringify(row)}`);
      out.push(row);
    }
  }
  return { results: out };
}

async function capacity(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown>[] = [];
  // Up to this machine's 20,000-descriptor limit less llmbench's reserve (fd-limit.ts).
  const levels = process.argv[3] ? process.argv[3].split(",").map(Number) : [1000, 4000, 8000, 12000, 16000, 19900];
  let prev: { c: number; peak: number } | null = null;
  for (const c of levels) {
    const r = await timingRun("truth", "http", c, c * 2, 100, 20, CLIENT_UI, CLIENT);
    console.error(`capacity ${c}: ${JSON.stringify(r)}`);
    // What each stream added over the level before: the fixed cost of a run left out.
    const added = prev === null ? NaN : ((r.peak_rss_mib - prev.peak) * 1024) / (c - prev.c);
    out.push({ concurrency: c, isl: BENCH_ISL, ...r, rss_kib_per_added_stream: added });
    prev = { c, peak: r.peak_rss_mib };
    if (r.failed > 0) break;
  }
  return { results: out };
}

function markdown(name: string, data: { results: Record<string, unknown>[] }): string {
  const rows = data.results;
  if (rows.length === 0) return "";
  const cols = Object.keys(rows[0]!);
  const fmt = (v: unknown) => (v === undefined ? "" : typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : String(v));
  return [
    `## ${name}`,
    "",
    `| ${cols.join(" | ")} |`,
    `| ${cols.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${cols.map((c) => fmt(r[c])).join(" | ")} |`),
    "",
  ].join("\n");
}

/** A second table when a bench also returns its individual runs (`runs`), beside the medians in `results`. */
function eachRun(data: Record<string, unknown>): string {
  return Array.isArray(data.runs) ? `\n${markdown("each run", { results: data.runs as Record<string, unknown>[] })}` : "";
}

/** For each server fault: requests the server saw, records written, and how they were classified. */
async function faults(): Promise<Record<string, unknown>> {
  const N = 50;
  const cases: [string, string[]][] = [
    ["none", []],
    ["HTTP 500", ["--fault-500-pct", "100"]],
    ["HTTP 429", ["--fault-429-pct", "100"]],
    ["reset mid-stream", ["--fault-drop-pct", "100"]],
    ["malformed SSE", ["--fault-malformed-pct", "100"]],
    ["stall (timeout 1 s)", ["--fault-stall-pct", "100", "--stall-seconds", "30"]],
    ["mix 20% each", ["--fault-500-pct", "20", "--fault-429-pct", "20", "--fault-drop-pct", "20", "--fault-malformed-pct", "20", "--seed", "5"]],
  ];
  const out: Record<string, unknown>[] = [];
  for (const [name, args] of cases) {
    const dir = mkdtempSync(join(tmpdir(), "llmbench-faults-"));
    const recordPath = join(dir, "truth.jsonl");
    const proc = Bun.spawn([BUN, MAIN, "mock", "--port", "0", "--ttft-ms", "5", "--itl-ms", "2", "--record", recordPath, ...args], {
      stdout: "pipe",
      stderr: "ignore",
    });
    const first = await proc.stdout.getReader().read();
    const url = new TextDecoder().decode(first.value).trim();
    const prof = Bun.spawnSync(
      [
        ...profileCommand(url),
        "--streaming",
        "--concurrency",
        "5",
        "--request-count",
        String(N),
        "--isl",
        "16",
        "--osl",
        "10",
        "--request-timeout-seconds",
        "1",
        "--artifact-dir",
        join(dir, "run"),
        "--ui",
        "none",
      ],
      { stdout: "pipe", stderr: "pipe" },
    );
    proc.kill("SIGINT");
    await proc.exited;
    const seen = readFileSync(recordPath, "utf8").trim().split("\n").filter(Boolean).length;
    const db = join(dir, "run", "results.duckdb");
    const rows = await queryReadOnly(db, "select coalesce(error_type || '/' || error_code, 'ok') as k, count(*) from requests group by 1 order by 1");
    const written = rows.rows.reduce((a, r) => a + Number(r[1]), 0);
    out.push({
      fault: name,
      requests_sent: N,
      server_saw: seen,
      records_written: written,
      classified: rows.rows.map((r) => `${r[0]} x${r[1]}`).join(", "),
      exit_code: prof.exitCode,
    });
    console.error(`${name}: ${JSON.stringify(out.at(-1))}`);
    rmSync(dir, { recursive: true, force: true });
  }
  return { results: out };
}

interface ProfileProcess {
  dir: string;
  exitCode: number;
  wall_s: number;
  /** Client process CPU (user + system) over its wall time, in % of one core. */
  cpu_pct: number;
  /** Epoch ns just before the client process was spawned. */
  launch_ns: number;
  stderr: string;
}

/** Runs `llmbench profile` (`main`, with `env` added to this process's) against `url` in its own process; returns where its artifacts went. */
async function profileProcess(
  url: string,
  args: string[],
  core: number | null,
  main: string = CLIENT,
  env: Record<string, string> = {},
): Promise<ProfileProcess> {
  const dir = mkdtempSync(join(tmpdir(), "llmbench-bench-"));
  const cmd = [...profileCommand(url, main), "--artifact-dir", join(dir, "run"), "--ui", "none", ...args, ...CLIENT_FLAGS];
  const launch_ns = Math.round((performance.timeOrigin + performance.now()) * 1e6);
  const t0 = performance.now();
  const proc = Bun.spawn(core === null ? cmd : pin(core, cmd), { stdout: "pipe", stderr: "pipe", env: { ...process.env, ...env } });
  const stderr = await new Response(proc.stderr).text();
  await proc.exited;
  const wall_s = (performance.now() - t0) / 1000;
  const ru = proc.resourceUsage();
  const cpu_s = ru ? (Number(ru.cpuTime.user) + Number(ru.cpuTime.system)) / 1e6 : NaN;
  return { dir, exitCode: proc.exitCode ?? -1, wall_s, cpu_pct: (cpu_s / wall_s) * 100, launch_ns, stderr };
}

interface LagStats {
  requests: number;
  failed: number;
  first_start_ns: number;
  achieved_rate: number;
  lag_p50_ms: number;
  lag_p90_ms: number;
  lag_p99_ms: number;
  lag_max_ms: number;
  /** Sends more than the pacing target (0.2 ms) late. */
  late_sends: number;
}

/** The pacing target: a send at most this late (ms). */
const LATE_SEND_MS = 0.2;

async function lagStats(dir: string): Promise<LagStats> {
  const db = join(dir, "run", "results.duckdb");
  const r = await queryReadOnly(db, "select start_ns, scheduled_ns, error_type from requests where phase = 'profiling'");
  const starts = r.rows.map((x) => Number(x[0])).sort((a, b) => a - b);
  const lag = r.rows.map((x) => (Number(x[0]) - Number(x[1])) / 1e6);
  const first = starts[0] ?? 0;
  const last = starts[starts.length - 1] ?? 0;
  return {
    requests: r.rows.length,
    failed: r.rows.filter((x) => x[2] !== null).length,
    first_start_ns: first,
    achieved_rate: last > first ? ((starts.length - 1) * 1e9) / (last - first) : NaN,
    lag_p50_ms: pct(lag, 50),
    lag_p90_ms: pct(lag, 90),
    lag_p99_ms: pct(lag, 99),
    lag_max_ms: pct(lag, 100),
    late_sends: lag.filter((x) => x > LATE_SEND_MS).length,
  };
}

/** Seconds of sending in each constant-rate run. */
const RATE_SECONDS = 10;

/** Constant-rate pacing: is each request sent when due, and at what CPU cost? */
async function rate(): Promise<Record<string, unknown>> {
  // Non-streaming, one output token: the mock (one core) tops out near 6,300 req/s that way here, and
  // ~4,500 streaming, so 5,000 req/s is only possible non-streaming. One streaming run at 1,000 too.
  const levels = process.argv[3] ? process.argv[3].split(",").map(Number) : [100, 1000, 5000];
  const cases = [...levels.map((r) => ({ r, streaming: false })), { r: 1000, streaming: true }];
  const out: Record<string, unknown>[] = [];
  for (const { r, streaming } of cases) {
    const { p, s } = await rateRun(r, streaming);
    out.push({
      requested_rate: r,
      streaming,
      achieved_rate: s.achieved_rate,
      achieved_vs_requested_pct: ((s.achieved_rate - r) / r) * 100,
      requests: s.requests,
      failed: s.failed,
      send_lag_p50_ms: s.lag_p50_ms,
      send_lag_p90_ms: s.lag_p90_ms,
      send_lag_p99_ms: s.lag_p99_ms,
      send_lag_max_ms: s.lag_max_ms,
      client_cpu_pct: p.cpu_pct,
      wall_s: p.wall_s,
    });
    console.error(`rate ${r}: ${JSON.stringify(out.at(-1))}`);
  }
  return { results: out };
}

/** BENCH_CLIENT_CORE=0: `rate` and `rate-ab` confine the client to that core (the mock has core 1), as the timing benches do; else it may use every core. */
const RATE_CLIENT_CORE = process.env.BENCH_CLIENT_CORE === undefined ? null : Number(process.env.BENCH_CLIENT_CORE);

/** One constant-rate run of RATE_SECONDS against a fresh mock (`main` with `env`); its lag figures and the process. */
async function rateRun(r: number, streaming: boolean, main: string = CLIENT, env: Record<string, string> = {}): Promise<{ p: ProfileProcess; s: LagStats }> {
  const tmp = mkdtempSync(join(tmpdir(), "llmbench-rate-"));
  const mock = await startServer("mock", tmp, 0, 0, 1);
  let p: ProfileProcess | null = null;
  try {
    const args = ["--request-rate", String(r), "--arrival-pattern", "constant", "--request-count", String(r * RATE_SECONDS)];
    args.push("--warmup-request-count", String(Math.min(r, 1000)), "--isl", "16", "--osl", streaming ? "2" : "1");
    p = await profileProcess(mock.url, [...(streaming ? ["--streaming"] : []), ...args], RATE_CLIENT_CORE, main, env);
    if (p.exitCode !== 0) throw new Error(`profile at ${r} req/s exited ${p.exitCode}: ${p.stderr.slice(-2000)}`);
    return { p, s: await lagStats(p.dir) };
  } finally {
    if (p !== null) rmSync(p.dir, { recursive: true, force: true });
    await stopServer(mock);
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * `rate-ab [RATE] [ROUNDS]`: this build against arm B in alternating runs at one constant rate
 * (non-streaming): B is BENCH_B_MAIN's binary, with BENCH_B_ENV's variables (e.g.
 * "BUN_JSC_useFTLJIT=0") added to its environment. The send lag's tail moves a lot between runs, so
 * only pairs taken together say anything: medians per arm, and in how many pairs this build was lower.
 */
async function rateAb(): Promise<Record<string, unknown>> {
  const r = Number(process.argv[3] ?? 5000);
  const rounds = Number(process.argv[4] ?? 6);
  if (!process.env.BENCH_B_MAIN && !process.env.BENCH_B_ENV) throw new Error('rate-ab: set BENCH_B_MAIN=<binary> and/or BENCH_B_ENV="KEY=VALUE ..." for arm B');
  const bName = ["B:", ...(process.env.BENCH_B_MAIN ? [process.env.BENCH_B_MAIN] : []), ...(process.env.BENCH_B_ENV ? [process.env.BENCH_B_ENV] : [])].join(
    " ",
  );
  const bins = sameAgeBinaries([CLIENT, process.env.BENCH_B_MAIN ?? CLIENT]);
  const arms = [
    { arm: "this", main: bins.mains[0]!, env: {} },
    { arm: bName, main: bins.mains[1]!, env: envOf(process.env.BENCH_B_ENV ?? "", "BENCH_B_ENV") },
  ];
  const runs: { arm: string; round: number; p99: number; late: number; cpu: number; failed: number }[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const a of pairOrder(arms, i)) {
      const { p, s } = await rateRun(r, false, a.main, a.env);
      runs.push({ arm: a.arm, round: i + 1, p99: s.lag_p99_ms, late: s.late_sends, cpu: p.cpu_pct, failed: s.failed });
      console.error(`rate-ab ${r} ${a.arm} #${i + 1}: ${JSON.stringify(runs.at(-1))}`);
    }
  }
  const of = (arm: string) => runs.filter((x) => x.arm === arm);
  const [mine, theirs] = [of("this"), of(bName)];
  const lower = (f: (x: (typeof runs)[number]) => number) => lowerInPairs(mine, theirs, f);
  const row = (arm: string, xs: typeof runs) => ({
    rate: r,
    arm,
    runs: xs.length,
    failed_requests: xs.reduce((n, x) => n + x.failed, 0),
    median_send_lag_p99_ms: pct(
      xs.map((x) => x.p99),
      50,
    ),
    median_late_sends: pct(
      xs.map((x) => x.late),
      50,
    ),
    median_client_cpu_pct: pct(
      xs.map((x) => x.cpu),
      50,
    ),
  });
  const pairs = {
    rate: r,
    arm: "this lower than B",
    runs: mine.length,
    failed_requests: "",
    median_send_lag_p99_ms: lower((x) => x.p99),
    median_late_sends: lower((x) => x.late),
    median_client_cpu_pct: lower((x) => x.cpu),
  };
  bins.cleanup();
  return { results: [row("this", mine), row(bName, theirs), pairs], runs };
}

/** The shared Mooncake trace, replayed 20x faster against the mock. */
async function replay(): Promise<Record<string, unknown>> {
  const trace = resolve(ROOT, "..", "shared", "data", "mooncake", "synthetic_trace.jsonl");
  const speedup = Number(process.argv[3] ?? 20);
  const tmp = mkdtempSync(join(tmpdir(), "llmbench-replay-"));
  const mock = await startServer("mock", tmp, 5, 1, 2);
  const p = await profileProcess(
    mock.url,
    [
      "--streaming",
      "--input-file",
      trace,
      "--custom-dataset-type",
      "mooncake_trace",
      "--fixed-schedule",
      "--trace-speedup",
      String(speedup),
      "--request-timeout-seconds",
      "60",
    ],
    null,
  );
  await stopServer(mock);
  if (p.exitCode !== 0) throw new Error(`replay exited ${p.exitCode}: ${p.stderr.slice(-2000)}`);
  const s = await lagStats(p.dir);
  const first = await queryReadOnly(join(p.dir, "run", "results.duckdb"), "select min(start_ns) from requests");
  const out = {
    trace: "shared/data/mooncake/synthetic_trace.jsonl",
    speedup,
    requests: s.requests,
    failed: s.failed,
    first_request_after_launch_s: (Number(first.rows[0]![0]) - p.launch_ns) / 1e9,
    replay_lag_p50_ms: s.lag_p50_ms,
    replay_lag_p90_ms: s.lag_p90_ms,
    replay_lag_p99_ms: s.lag_p99_ms,
    replay_lag_max_ms: s.lag_max_ms,
    client_cpu_pct: p.cpu_pct,
    peak_rss_mib: Number(/peak RSS (\d+) MiB/.exec(readFileSync(join(p.dir, "run", "logs", "llmbench.log"), "utf8"))?.[1] ?? NaN),
    wall_s: p.wall_s,
  };
  console.error(`replay: ${JSON.stringify(out)}`);
  rmSync(p.dir, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
  return { results: [out] };
}

/** The dashboard's main-thread costs, in process (no server): per record, per snapshot, per frame. */
async function dashboard(): Promise<Record<string, unknown>> {
  const { LiveStats } = await import("../src/report/live-stats.ts");
  const { recordValues } = await import("../src/metrics/record-values.ts");
  const { dashboardLines } = await import("../src/report/dashboard-view.ts");
  const { Screen } = await import("../src/report/screen.ts");
  const { UNICODE_GLYPHS } = await import("../src/report/live-format.ts");
  const { phaseProgress } = await import("../src/report/live-state.ts");
  type Rec = import("../src/record/request-record.ts").RequestRecord;
  const t0 = 1_000_000 * 1e9;
  const SECONDS = 120;
  const PER_SEC = 2000;
  // A pool of records with their metric values computed once (the fanout does that, not LiveStats).
  const pool = Array.from({ length: 1000 }, (_, i) => {
    const start = t0 + (i % 50) * 1e6;
    const r: Rec = {
      x_request_id: `r${i}`,
      request_index: i,
      session_num: i,
      conversation_id: "",
      turn_index: 0,
      worker_id: 0,
      phase: "profiling",
      url: "u",
      model: "m",
      scheduled_ns: start,
      queue_ns: 0,
      start_ns: start,
      ack_ns: start + 1e6,
      first_token_ns: start + (20 + (i % 30)) * 1e6,
      first_output_token_ns: start + 20e6,
      last_token_ns: start + 120e6,
      end_ns: start + 121e6,
      http_status: i % 50 === 0 ? 500 : 200,
      cancelled: false,
      error: i % 50 === 0 ? { code: 500, type: "http_error", message: "boom" } : null,
      input_tokens: 32,
      requested_output_tokens: 20,
      output_tokens: 20,
      reasoning_tokens: 0,
      usage_prompt_tokens: null,
      usage_completion_tokens: null,
      usage_total_tokens: null,
      usage_reasoning_tokens: null,
      chunks: [
        { arrival_ns: start + 20e6, tokens: 10, bytes: 100 },
        { arrival_ns: start + 120e6, tokens: 10, bytes: 100 },
      ],
    };
    return { r, values: recordValues(r, { streaming: true }) };
  });
  const stats = new LiveStats();
  const tAdd = performance.now();
  for (let sec = 0; sec < SECONDS; sec++) {
    for (let i = 0; i < PER_SEC; i++) {
      const p = pool[(sec * PER_SEC + i) % pool.length]!;
      const shift = sec * 1e9;
      p.r.start_ns = t0 + shift + (i % 50) * 1e6;
      p.r.end_ns = p.r.start_ns + 121e6;
      stats.add(p.r, p.values);
    }
  }
  const add_ns_per_record = ((performance.now() - tAdd) * 1e6) / (SECONDS * PER_SEC);
  const now = t0 + SECONDS * 1e9;
  const FRAMES = 400;
  let t = performance.now();
  for (let i = 0; i < FRAMES; i++) stats.snapshot(now + i * 250e6, 200, 10);
  const snapshot_us = ((performance.now() - t) * 1000) / FRAMES;
  const plan = { warmup: false, warmupTotal: 0, warmupDurationMs: null, profilingTotal: SECONDS * PER_SEC * 2, profilingDurationMs: null };
  const out: Record<string, unknown>[] = [];
  for (const [width, height] of [
    [80, 24],
    [200, 60],
  ] as const) {
    let bytes = 0;
    const screen = new Screen((s) => void (bytes += s.length));
    screen.enter();
    t = performance.now();
    for (let i = 0; i < FRAMES; i++) {
      const nowNs = now + i * 250e6;
      const snap = stats.snapshot(nowNs, width, 10);
      const state = {
        title: "mock-model  http://127.0.0.1:8000/v1/chat/completions",
        progress: phaseProgress(plan, snap, "profiling", t0, nowNs),
        inFlight: 16 + (i % 5),
        stopping: null,
        streaming: true,
        stats: snap,
        logs: [],
      };
      screen.frame(dashboardLines(state, { width, height, color: true, glyphs: UNICODE_GLYPHS }), width, height);
    }
    const frame_us = ((performance.now() - t) * 1000) / FRAMES;
    out.push({
      what: `frame ${width}x${height} (snapshot + render + diff)`,
      us: frame_us,
      bytes_per_frame: bytes / FRAMES,
      cpu_pct_at_4_fps: (frame_us * 4) / 1e4,
    });
  }
  out.unshift({ what: "LiveStats.add per record", us: add_ns_per_record / 1000 }, { what: "LiveStats.snapshot", us: snapshot_us });
  // Loading the dashboard's modules in a fresh process (what the first frame pays once; --help never does).
  const probe = `const t = performance.now(); await import(${JSON.stringify(join(ROOT, "src/report/dashboard-view.ts"))}); await import(${JSON.stringify(join(ROOT, "src/report/screen.ts"))}); console.log(performance.now() - t);`;
  const loads = Array.from({ length: 5 }, () => Number(Bun.spawnSync([BUN, "-e", probe]).stdout.toString().trim()));
  out.push({ what: "import dashboard-view + screen (fresh process, from source)", us: pct(loads, 50) * 1000 });
  for (const r of out) console.error(JSON.stringify(r));
  return { results: out };
}

/** Handing finished records to another thread as objects or encoded (scripts/bench-record-post.ts), in a process of its own. */
async function recordPost(): Promise<Record<string, unknown>> {
  const p = Bun.spawnSync([BUN, join(ROOT, "scripts/bench-record-post.ts"), process.argv[3] ?? "2000", process.argv[4] ?? "5"], {
    stdout: "pipe",
    stderr: "inherit",
  });
  if (p.exitCode !== 0) throw new Error(`record-post exited ${p.exitCode}`);
  const rows = p.stdout
    .toString()
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const r of rows) console.error(`record-post: ${JSON.stringify(r)}`);
  return { results: rows };
}

/**
 * `worker-objects`: the JavaScript objects the load worker makes per request (scripts/bench-worker-objects.ts,
 * collection off), non-streaming and streaming, and per streamed chunk; against the mock.
 */
async function workerObjects(): Promise<Record<string, unknown>> {
  const tmp = mkdtempSync(join(tmpdir(), "llmbench-objects-"));
  const mock = await startServer("mock", tmp, 0, 0, 1);
  const out: Record<string, unknown>[] = [];
  try {
    for (const [streaming, osl] of [
      [false, 1],
      [true, 1],
      [true, 21],
    ] as const) {
      const p = Bun.spawnSync(
        [BUN, join(ROOT, "scripts/bench-worker-objects.ts"), `${mock.url}/v1/chat/completions`, streaming ? "1" : "0", String(osl), "50", "1000"],
        {
          stdout: "pipe",
          stderr: "inherit",
          env: { ...process.env, BUN_JSC_useGC: "0" },
        },
      );
      if (p.exitCode !== 0) throw new Error(`worker-objects exited ${p.exitCode}`);
      const r = JSON.parse(p.stdout.toString().trim().split("\n").at(-1)!) as { objects_per_request: number; by_kind: Record<string, number> };
      const row = {
        streaming,
        chunks: osl,
        objects_per_request: r.objects_per_request,
        by_kind: Object.entries(r.by_kind)
          .map(([k, v]) => `${k} ${v}`)
          .join(", "),
      };
      console.error(`worker-objects: ${JSON.stringify(row)}`);
      out.push(row);
    }
  } finally {
    await stopServer(mock);
    rmSync(tmp, { recursive: true, force: true });
  }
  return { results: out };
}

/** Each N in its own process, so one size's memory does not carry into the next. */
async function storeSummary(): Promise<Record<string, unknown>> {
  const sizes = process.argv[3] ? process.argv[3].split(",").map(Number) : [50_000, 1_000_000];
  const out: Record<string, unknown>[] = [];
  for (const n of sizes) {
    const p = Bun.spawnSync([BUN, join(ROOT, "scripts/bench-store-summary.ts"), String(n)], { stdout: "pipe", stderr: "inherit" });
    if (p.exitCode !== 0) throw new Error(`store-summary ${n} exited ${p.exitCode}`);
    const row = JSON.parse(p.stdout.toString().trim().split("\n").at(-1)!) as Record<string, unknown>;
    console.error(`store-summary: ${JSON.stringify(row)}`);
    out.push(row);
  }
  return { results: out };
}

const which = process.argv[2] ?? "timing";
const runners: Record<string, () => Promise<Record<string, unknown>>> = {
  timing,
  capacity,
  "client-memory": () => clientMemory(process.argv[3] ? process.argv[3].split(",").map(Number) : [1000, 10000]),
  faults,
  rate,
  replay,
  dashboard,
  "timing-ab": timingAb,
  "rate-ab": rateAb,
  "store-summary": storeSummary,
  "record-post": recordPost,
  "worker-objects": workerObjects,
  memory: () => memory(process.argv[3] ? process.argv[3].split(",").map(Number) : [50_000, 1_000_000], process.argv[4] ? Number(process.argv[4]) : 3),
  "small-run": () =>
    smallRuns(process.argv[3] ? process.argv[3].split(",").map(Number) : [1, 4, 8], process.argv[4] ? Number(process.argv[4]) : 3, process.env.BENCH_B_MAIN),
  "tokenizer-load": () => tokenizerLoad(process.argv[3] ? Number(process.argv[3]) : 5),
  plot: () => plotBench(process.argv[3] ? process.argv[3].split(",").map(Number) : [10_000, 1_000_000]),
  "abort-listeners": () => abortListeners(process.argv[3] ? process.argv[3].split(",").map(Number) : [100, 1000, 10_000]),
  "line-writer": () => lineWriterBench(process.argv[3] ? Number(process.argv[3]) : 10),
  "block-prompts": () => blockPromptsBench(process.argv[3] ? Number(process.argv[3]) : 1500, process.argv[4] ? Number(process.argv[4]) : 6),
};
const run = runners[which];
if (!run) {
  console.error(`usage: bun scripts/bench.ts ${Object.keys(runners).join("|")}`);
  process.exit(2);
}
const data = await run();
const outName =
  which === "timing"
    ? ["timing", ...(process.argv.includes("--mock") ? ["mock"] : []), ...(CLIENT_UI !== "none" ? [CLIENT_UI] : [])].join("-")
    : which === "timing-ab" && (process.env.BENCH_B_MAIN || process.env.BENCH_B_ENV)
      ? "timing-ab-checkouts"
      : which === "small-run" && process.env.BENCH_B_MAIN
        ? "small-run-ab"
        : which;
const meta = {
  date: new Date().toISOString(),
  bun: Bun.version,
  cores: navigator.hardwareConcurrency,
  taskset: hasTaskset,
  client_flags: CLIENT_FLAGS.join(" "),
  ...(process.env.BENCH_B_MAIN ? { b_main: process.env.BENCH_B_MAIN } : {}),
  ...(process.env.BENCH_B_ENV ? { b_env: process.env.BENCH_B_ENV } : {}),
};
mkdirSync(join(ROOT, "bench"), { recursive: true });
writeFileSync(join(ROOT, "bench", `${outName}.json`), `${JSON.stringify({ ...meta, ...data }, null, 2)}\n`);
writeFileSync(
  join(ROOT, "bench", `${outName}.md`),
  `# ${outName} (${meta.date}, Bun ${meta.bun}, ${meta.cores} cores)\n\n${markdown(outName, data as { results: Record<string, unknown>[] })}${eachRun(data)}`,
);
console.error(`wrote bench/${outName}.json and bench/${outName}.md`);
