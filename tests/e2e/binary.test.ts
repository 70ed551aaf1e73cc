// The compiled binary, copied alone into an empty directory (no node_modules anywhere above it),
// runs mock, profile and query end to end.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type LoneBinary, loneBinary } from "../helpers/binary.ts";
import { readFirstLine } from "../helpers/read-lines.ts";

let bin: LoneBinary;
let dir = "";
let exe = "";
let env: Record<string, string> = {};
const run = (args: string[], timeoutMs?: number) => bin.run(args, timeoutMs);

beforeAll(async () => {
  bin = await loneBinary("llmbench-e2e-", 30_000);
  ({ dir, exe, env } = bin);
}, 120_000);

afterAll(() => bin?.remove());

describe("compiled binary from an empty directory", () => {
  test("the directory holds only the binary, and no node_modules above it", () => {
    expect(readdirSync(dir)).toEqual(["llmbench"]);
    let d = dir;
    while (d !== "/") {
      expect(existsSync(join(d, "node_modules"))).toBe(false);
      d = join(d, "..");
    }
  });

  test("--version and --help", () => {
    const v = run(["--version"]);
    expect(v.code).toBe(0);
    expect(v.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const h = run(["profile", "--help"]);
    expect(h.code).toBe(0);
    expect(h.out).toContain("--concurrency");
  });

  test("usage errors: one line each, exit 2", () => {
    const r = run(["profile", "-m", "x", "--concurrency", "zero", "--no-such-flag"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown flag --no-such-flag");
    expect(r.err).toContain("--concurrency must be");
    expect(r.err).not.toContain(" at ");
  });

  test("mock + profile + query, with the mock's record as the truth", async () => {
    const mock = Bun.spawn([exe, "mock", "--port", "0", "--ttft-ms", "15", "--itl-ms", "2", "--record", "truth.jsonl"], {
      cwd: dir,
      env,
      stdout: "pipe",
      stderr: "pipe",
    });
    try {
      const url = await readFirstLine(mock.stdout, 20_000);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const p = run([
        "profile",
        "-u",
        url,
        "-m",
        "mock-model",
        "--tokenizer",
        "builtin",
        "--streaming",
        "--concurrency",
        "4",
        "--request-count",
        "20",
        "--isl",
        "32",
        "--osl",
        "16",
        "--artifact-dir",
        "run1",
      ]);
      expect(p.err).not.toContain("error:");
      expect(p.code).toBe(0);
      // It restarted itself with JavaScriptCore's FTL tier off (runtime/jit-env.ts), and still ran the whole profile.
      expect(readFileSync(join(dir, "run1", "logs", "llmbench.log"), "utf8")).toContain(
        "INFO JavaScriptCore's FTL tier off (BUN_JSC_useFTLJIT=0), heap block warm-up thread off (BUN_JSC_useWarmUpMarkedBlocks=0)\n",
      );
      expect(p.out).toContain("llmbench | LLM Metrics");
      expect(p.out).toMatch(/Request Count \(requests\) │\s+20\.00/);
      // The client's own CPU in the profiling phase: its 20 requests, and the one load worker's share.
      const cpu =
        /client CPU in the profiling phase: ([\d.]+) s in ([\d.]+) s \(([\d.]+) of \d+ cores?\), ([\d.]+) ms a request; load worker busy (\d+)%(?: \(and [^)]*\))?, main thread (\d+)%/.exec(
          readFileSync(join(dir, "run1", "logs", "llmbench.log"), "utf8"),
        );
      expect(cpu).not.toBeNull();
      const [cpuS, wallS, , perRequestMs, busyPct, mainPct] = cpu!.slice(1).map(Number) as [number, number, number, number, number, number];
      expect(cpuS).toBeGreaterThan(0);
      expect(wallS).toBeGreaterThan(0);
      expect(perRequestMs).toBeCloseTo((cpuS * 1000) / 20, 0);
      expect(busyPct).toBeGreaterThan(0);
      expect(busyPct).toBeLessThanOrEqual(100);
      expect(mainPct).toBeLessThanOrEqual(100);
      for (const f of ["profile_export.jsonl", "profile_export_aiperf.json", "profile_export_aiperf.csv", "inputs.json", "logs/llmbench.log"]) {
        expect(existsSync(join(dir, "run1", f))).toBe(true);
      }
      expect(existsSync(join(dir, "run1", "results.duckdb"))).toBe(true);
      // A single run in its own process lowers its storage threads while the load runs (Linux).
      if (process.platform === "linux") {
        const lowered = /storage threads under SCHED_IDLE while the load runs: (\d+) of (\d+)/.exec(
          readFileSync(join(dir, "run1", "logs", "llmbench.log"), "utf8"),
        );
        expect(lowered).not.toBeNull();
        expect(Number(lowered![1])).toBeGreaterThan(1);
        expect(lowered![1]).toBe(lowered![2]);
      }

      const q = run([
        "query",
        "run1",
        "select count(*) as n, sum(output_tokens) as toks, min(input_tokens) as isl_min, max(input_tokens) as isl_max, min(time_to_first_token) as ttft from requests",
        "--format",
        "json",
      ]);
      expect(q.code).toBe(0);
      const [row] = JSON.parse(q.out) as { n: number; toks: number; isl_min: number; isl_max: number; ttft: number }[];
      expect(row!.n).toBe(20);
      expect(row!.toks).toBe(20 * 16);
      // Prompts of exactly --isl tokens, built and counted with the tokenizer built into the binary.
      expect([row!.isl_min, row!.isl_max]).toEqual([32, 32]);
      expect(row!.ttft).toBeGreaterThan(10); // mock TTFT 15 ms; exact agreement is checked in the integration test

      const chunks = run(["query", "run1", "select count(*) as n from chunks", "--format", "csv"]);
      expect(chunks.out).toBe("n\n320\n");

      // Open loop and a trace replay through the compiled binary (workers, pacer, prompt feeder).
      const rate = run([
        "profile",
        "-u",
        url,
        "-m",
        "mock-model",
        "--tokenizer",
        "builtin",
        "--streaming",
        "--request-rate",
        "100",
        "--request-count",
        "20",
        "--osl",
        "4",
        "--artifact-dir",
        "rate",
        "--storage-priority",
        "normal",
      ]);
      expect(rate.code).toBe(0);
      expect(readFileSync(join(dir, "rate", "logs", "llmbench.log"), "utf8")).toContain("storage threads keep normal priority: --storage-priority normal");
      expect(rate.out).toMatch(/Schedule: 20 requests; rate requested 100\.00 req\/s/);
      writeFileSync(
        join(dir, "trace.jsonl"),
        [0, 50, 50, 120].map((t, i) => JSON.stringify({ timestamp: t, input_length: 600, output_length: 2, hash_ids: [7, 100 + i] })).join("\n"),
      );
      const replay = run([
        "profile",
        "-u",
        url,
        "-m",
        "mock-model",
        "--tokenizer",
        "builtin",
        "--streaming",
        "--input-file",
        "trace.jsonl",
        "--custom-dataset-type",
        "mooncake_trace",
        "--artifact-dir",
        "replay",
      ]);
      expect(replay.code).toBe(0);
      // Its main thread builds the prompts while the load runs: not lowered.
      expect(readFileSync(join(dir, "replay", "logs", "llmbench.log"), "utf8")).toContain(
        "storage threads keep normal priority: this thread feeds the trace's prompts to the workers while the load runs",
      );
      const sched = run([
        "query",
        "replay",
        "select count(*) as n, min(input_tokens) as lo, max(input_tokens) as hi, round((max(scheduled_ns) - min(scheduled_ns)) / 1e6) as span_ms from requests",
        "--format",
        "csv",
      ]);
      expect(sched.out).toBe("n,lo,hi,span_ms\n4,600,600,120\n");

      const bad = run(["query", "run1", "delete from requests"]);
      expect(bad.code).toBe(2);
      expect(run(["query", "run1", "select count(*) as n from requests", "--format", "csv"]).out).toBe("n\n20\n");
    } finally {
      mock.kill("SIGINT");
      expect(await mock.exited).toBe(0);
    }
    const recorded = readFileSync(join(dir, "truth.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { request_id: string; chunks: { tokens: number }[] });
    // Each run's pre-flight request first (not part of its results).
    const preflight = recorded.filter((t) => t.request_id.startsWith("llmbench-preflight-"));
    expect(preflight.length).toBe(3);
    const truth = recorded.filter((t) => !preflight.includes(t));
    expect(truth.length).toBe(20 + 20 + 4); // run1, then the open-loop run and the replay
    expect(truth.slice(0, 20).every((t) => t.chunks.filter((c) => c.tokens > 0).length === 16)).toBe(true);
  }, 60_000);

  test("DuckDB was extracted once into the versioned cache dir; the builtin tokenizer needed no cache (its pack is in the binary)", () => {
    const cache = join(dir, "cache", "llmbench");
    const entries = readdirSync(cache).sort();
    expect(entries.length).toBe(1);
    expect(entries[0]).toMatch(new RegExp(`^duckdb-[\\d.]+.*-${process.platform}-${process.arch}$`));
    expect(readdirSync(join(cache, entries[0]!)).sort()).toEqual([".complete", "duckdb.node", "libduckdb.so"]);
  });
});
