// Benchmarks llmbench against its own mock and writes bench/<name>.json + a markdown table.
//
//   bun scripts/bench.ts timing      client timing error vs a raw-socket truth server (scripts/truth-server.ts)
//                                    that stamps each chunk after socket.write, per transport, at 100 and
//                                    1,000 concurrent streams (--mock: against llmbench mock's --record)
//   bun scripts/bench.ts capacity    highest concurrent stream count with every request succeeding
//   bun scripts/bench.ts faults      the fault matrix: requests sent, records written, classification
//
// The mock runs in its own process pinned to one core (taskset), the client on the other, so the
// numbers are the client's error, not the server's. One wave of warmup requests (= concurrency) runs first
// and is left out, as a user would run --warmup-request-count. Compare within one run: machines are noisy.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { queryReadOnly } from "../src/store/read-db.ts";
import { percentileSorted } from "../src/metrics/stats.ts";

const ROOT = resolve(import.meta.dir, "..");
const BUN = process.execPath;
const MAIN = join(ROOT, "src/main.ts");
const hasTaskset = Bun.spawnSync(["sh", "-c", "command -v taskset"]).exitCode === 0;
const pin = (core: number, cmd: string[]) => (hasTaskset ? ["taskset", "-c", String(core), ...cmd] : cmd);

interface MockHandle {
  url: string;
  proc: ReturnType<typeof Bun.spawn>;
  recordPath: string;
}

type ServerKind = "truth" | "mock";

async function startServer(kind: ServerKind, dir: string, ttftMs: number, itlMs: number, tokens: number): Promise<MockHandle> {
  const recordPath = join(dir, "truth.jsonl");
  const cmd =
    kind === "truth"
      ? [BUN, join(ROOT, "scripts/truth-server.ts"), recordPath, String(ttftMs), String(itlMs), String(tokens)]
      : [BUN, MAIN, "mock", "--port", "0", "--record", recordPath, "--ttft-ms", String(ttftMs), "--itl-ms", String(itlMs)];
  const proc = Bun.spawn(pin(1, cmd), {
    stdout: "pipe",
    stderr: "ignore",
  });
  const reader = proc.stdout.getReader();
  let buf = "";
  while (!buf.includes("\n")) {
    const r = await reader.read();
    if (r.done) throw new Error("mock exited before printing its URL");
    buf += new TextDecoder().decode(r.value);
  }
  reader.releaseLock();
  return { url: buf.trim(), proc, recordPath };
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
    kind === "truth"
      ? (j.chunks as number[])
      : (j.chunks as { sent_ns: number; tokens: number }[]).filter((c) => c.tokens > 0).map((c) => c.sent_ns);
  return { request_id: j.request_id, received_ns: j.received_ns, sent_ns };
}

interface ErrorStats {
  requests: number;
  failed: number;
  ttft_err_p50_ms: number;
  ttft_err_p99_ms: number;
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
async function timingRun(server: ServerKind, transport: string, concurrency: number, requests: number, itlMs: number, osl: number): Promise<ErrorStats> {
  const dir = mkdtempSync(join(tmpdir(), "llmbench-bench-"));
  const mock = await startServer(server, dir, 50, itlMs, osl);
  const t0 = performance.now();
  const prof = Bun.spawnSync(
    pin(0, [BUN, MAIN, "profile", "-u", mock.url, "-m", "mock-model", "--streaming", "--concurrency", String(concurrency),
      "--request-count", String(requests), "--warmup-request-count", String(concurrency), "--isl", "32", "--osl", String(osl), "--transport", transport,
      "--artifact-dir", join(dir, "run"), "--ui", "none"]),
    { stdout: "pipe", stderr: "pipe", env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: "65535" } },
  );
  const wall_s = (performance.now() - t0) / 1000;
  await stopServer(mock);
  const log = readFileSync(join(dir, "run", "logs", "llmbench.log"), "utf8");
  const peak_rss_mib = Number(/peak RSS (\d+) MiB/.exec(log)?.[1] ?? NaN);
  if (prof.exitCode !== 0 && prof.exitCode !== 1) throw new Error(`profile failed: ${prof.stderr.toString()}`);
  const truth = new Map<string, TruthLine>();
  for (const l of readFileSync(mock.recordPath, "utf8").trim().split("\n")) {
    const t = parseTruth(server, l);
    truth.set(t.request_id, t);
  }
  const db = join(dir, "run", "results.duckdb");
  const reqs = await queryReadOnly(db, "select x_request_id, start_ns, first_token_ns, error_type from requests where phase = 'profiling'");
  const chunks = await queryReadOnly(db, "select x_request_id, chunk_index, arrival_ns from chunks order by x_request_id, chunk_index");
  const arrivals = new Map<string, number[]>();
  for (const [id, , at] of chunks.rows) {
    const list = arrivals.get(String(id)) ?? [];
    list.push(Number(at));
    arrivals.set(String(id), list);
  }
  const ttftErr: number[] = [];
  const gapErr: number[] = [];
  let failed = 0;
  let chunkCount = 0;
  for (const [id, start, first, err] of reqs.rows) {
    if (err !== null) {
      failed++;
      continue;
    }
    const t = truth.get(String(id));
    const a = arrivals.get(String(id)) ?? [];
    const sent = t?.sent_ns ?? [];
    if (!t || sent.length === 0) continue;
    // TTFT error: client TTFT minus server TTFT (client send -> server receive is network + parse).
    ttftErr.push((Number(first) - Number(start) - (sent[0]! - t.received_ns)) / 1e6);
    for (let i = 1; i < Math.min(a.length, sent.length); i++) {
      gapErr.push(Math.abs(a[i]! - a[i - 1]! - (sent[i]! - sent[i - 1]!)) / 1e6);
    }
    chunkCount += a.length;
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    requests: reqs.rows.length,
    failed,
    ttft_err_p50_ms: pct(ttftErr, 50),
    ttft_err_p99_ms: pct(ttftErr, 99),
    gap_err_p50_ms: pct(gapErr, 50),
    gap_err_p99_ms: pct(gapErr, 99),
    chunks_per_s: chunkCount / wall_s,
    wall_s,
    peak_rss_mib,
    rss_kib_per_stream: (peak_rss_mib * 1024) / concurrency,
  };
}

async function timing(): Promise<Record<string, unknown>> {
  const server: ServerKind = process.argv.includes("--mock") ? "mock" : "truth";
  const scenarios = [
    { name: "100 streams, ITL 10 ms", concurrency: 100, requests: 400, itlMs: 10, osl: 50 },
    { name: "1,000 streams, ITL 100 ms", concurrency: 1000, requests: 2000, itlMs: 100, osl: 20 },
  ];
  const out: Record<string, unknown>[] = [];
  for (const s of scenarios) {
    for (const transport of ["http", "fetch"]) {
      const r = await timingRun(server, transport, s.concurrency, s.requests, s.itlMs, s.osl);
      console.error(`${s.name} ${transport}: ${JSON.stringify(r)}`);
      out.push({ scenario: s.name, server, transport, ...r });
    }
  }
  return { results: out };
}

async function capacity(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown>[] = [];
  // Up to this machine's 20,000-descriptor limit less llmbench's reserve (fd-limit.ts).
  const levels = process.argv[3] ? process.argv[3].split(",").map(Number) : [1000, 4000, 8000, 12000, 16000, 19900];
  for (const c of levels) {
    const r = await timingRun("truth", "http", c, c * 2, 100, 20);
    console.error(`capacity ${c}: ${JSON.stringify(r)}`);
    out.push({ concurrency: c, ...r });
    if (r.failed > 0) break;
  }
  return { results: out };
}

function markdown(name: string, data: { results: Record<string, unknown>[] }): string {
  const rows = data.results;
  if (rows.length === 0) return "";
  const cols = Object.keys(rows[0]!);
  const fmt = (v: unknown) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : String(v));
  return [`## ${name}`, "", `| ${cols.join(" | ")} |`, `| ${cols.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${cols.map((c) => fmt(r[c])).join(" | ")} |`), ""].join("\n");
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
    const proc = Bun.spawn([BUN, MAIN, "mock", "--port", "0", "--ttft-ms", "5", "--itl-ms", "2", "--record", recordPath, ...args], { stdout: "pipe", stderr: "ignore" });
    const first = await proc.stdout.getReader().read();
    const url = new TextDecoder().decode(first.value).trim();
    const prof = Bun.spawnSync(
      [BUN, MAIN, "profile", "-u", url, "-m", "mock-model", "--streaming", "--concurrency", "5", "--request-count", String(N),
        "--isl", "16", "--osl", "10", "--request-timeout-seconds", "1", "--artifact-dir", join(dir, "run"), "--ui", "none"],
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

const which = process.argv[2] ?? "timing";
const runners: Record<string, () => Promise<Record<string, unknown>>> = { timing, capacity, faults };
const run = runners[which];
if (!run) {
  console.error(`usage: bun scripts/bench.ts ${Object.keys(runners).join("|")}`);
  process.exit(2);
}
const data = await run();
const outName = which === "timing" && process.argv.includes("--mock") ? "timing-mock" : which;
const meta = { date: new Date().toISOString(), bun: Bun.version, cores: navigator.hardwareConcurrency, taskset: hasTaskset };
mkdirSync(join(ROOT, "bench"), { recursive: true });
writeFileSync(join(ROOT, "bench", `${outName}.json`), `${JSON.stringify({ ...meta, ...data }, null, 2)}\n`);
writeFileSync(join(ROOT, "bench", `${outName}.md`), `# ${outName} (${meta.date}, Bun ${meta.bun}, ${meta.cores} cores)\n\n${markdown(outName, data as { results: Record<string, unknown>[] })}`);
console.error(`wrote bench/${outName}.json and bench/${outName}.md`);
