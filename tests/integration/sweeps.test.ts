// Sweeps, repeats and the capacity search, end to end through the CLI against the mock in its
// batched-decode mode, whose knee is known: at most B requests decode at once, one token each per
// step, so output throughput is capped at B tokens per step and a request past the B-th waits a whole
// generation for its first token. The mock runs in its own process, so the client's main thread
// (statistics, DuckDB) cannot delay its timers.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/commands.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { type MockServerHandle, startMockServer } from "../../src/mock/server.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { type MockProcess, spawnMock } from "../helpers/mock-process.ts";

/** The mock's batch size, decode step and the output length asked for. */
const B = 4;
const STEP_MS = 30;
const OSL = 5;
/** Output tokens/s the mock cannot exceed: B tokens per step. */
const CAPACITY = (B * 1000) / STEP_MS;

let dir = "";
let mockUrl = "";
let mock: MockProcess | null = null;
let faulty: MockServerHandle | null = null;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-sweeps-"));
  mock = await spawnMock(["--max-batch-size", String(B), "--step-ms", String(STEP_MS), "--ttft-ms", "0"]);
  mockUrl = mock.url;
  faulty = await startMockServer({ port: 0, ttftMs: 1, itlMs: 1, fault500Pct: 100 });
});

afterAll(async () => {
  await mock?.stop();
  await faulty?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const base = (url = mockUrl) => [
  "profile",
  "-u",
  url,
  "-m",
  "mock-model",
  "--tokenizer",
  "builtin",
  "--streaming",
  "--isl",
  "32",
  "--osl",
  String(OSL),
  "--ui",
  "none",
  "--warmup-request-count",
  "4",
];

async function cli(argv: string[], env: Record<string, string> = {}) {
  const io = fakeIo(dir, { COLUMNS: "100", ...env });
  const code = await runCli(argv, COMMANDS, io);
  return { code, out: io.stdout.join(""), err: io.stderr.join(""), io };
}

const json = (...path: string[]) => JSON.parse(readFileSync(join(dir, ...path), "utf8"));

interface PointJson {
  point: number;
  parameters: Record<string, number>;
  status: string;
  knee: boolean;
  pareto_optimal: boolean;
  metrics: Record<string, { value: number | null } | { mean: number; ci_low: number; ci_high: number; cv: number; n: number; values: number[] }>;
  runs: { repeat: number; dir: string; run_id: string; status: string }[];
}

describe("sweeps against the batched mock", () => {
  let sweepTput: number[] = [];

  test("a concurrency sweep: throughput grows up to the batch size, then flattens at the mock's capacity; one run directory per point, queryable by concurrency", async () => {
    const r = await cli([
      ...base(),
      "--concurrency",
      "2,4,8,16",
      "--request-count",
      "8,16,32,64",
      "--sweep-type",
      "zip",
      "--gpus",
      "2",
      "--artifact-dir",
      "sweep",
    ]);
    expect(r.code).toBe(0);
    const summary = json("sweep", "sweep_summary.json");
    const points = summary.points as PointJson[];
    expect(summary.status).toBe("complete");
    expect(points.map((p) => [p.parameters.concurrency, p.parameters.request_count, p.status])).toEqual([
      [2, 8, "ok"],
      [4, 16, "ok"],
      [8, 32, "ok"],
      [16, 64, "ok"],
    ]);
    const value = (p: PointJson, k: string) => (p.metrics[k] as { value: number }).value;
    sweepTput = points.map((p) => value(p, "output_token_throughput_avg"));
    // Below the batch size more load adds throughput; past it, none: the mock's cap.
    expect(sweepTput[1]! / sweepTput[0]!).toBeGreaterThan(1.5);
    expect(sweepTput[3]! / sweepTput[2]!).toBeLessThan(1.15);
    expect(Math.max(...sweepTput)).toBeLessThanOrEqual(CAPACITY * 1.1);
    expect(sweepTput[3]!).toBeGreaterThan(CAPACITY * 0.7);
    for (const p of points) expect(value(p, "output_token_throughput_per_gpu")).toBeCloseTo(value(p, "output_token_throughput_avg") / 2, 9);
    // Per-user speed is one token per step whatever the load (the mock's step does not slow with the
    // batch), so the knee is where throughput stops growing: at the batch size or past it.
    const knee = points.filter((p) => p.knee);
    expect(knee.length).toBe(1);
    expect(knee[0]!.parameters.concurrency!).toBeGreaterThanOrEqual(B);
    expect(knee[0]!.pareto_optimal).toBe(true);

    // Directories sort like the values; each is a complete run.
    const dirs = readdirSync(join(dir, "sweep")).sort();
    expect(dirs).toEqual([
      "concurrency_0002__request_count_0008",
      "concurrency_0004__request_count_0016",
      "concurrency_0008__request_count_0032",
      "concurrency_0016__request_count_0064",
      "sweep_summary.csv",
      "sweep_summary.json",
    ]);
    for (const d of dirs.slice(0, 4)) expect(existsSync(join(dir, "sweep", d, "profile_export_aiperf.json"))).toBe(true);
    const csv = readFileSync(join(dir, "sweep", "sweep_summary.csv"), "utf8")
      .trim()
      .split("\n");
    expect(csv.length).toBe(5);
    expect(csv[0]!.startsWith("point,concurrency,request_count,status,runs,request_throughput_avg,output_token_throughput_avg")).toBe(true);

    // The console: one table row per point, within the terminal's 100 columns, the knee named.
    const table = r.out.split("\n").filter((l) => /^\s+(2|4|8|16)\s+\d+\s/.test(l));
    expect(table.length).toBe(4);
    expect(r.out.split("\n").filter((l) => l.length > 100)).toEqual([]);
    expect(r.out).toContain(`knee at concurrency=${knee[0]!.parameters.concurrency}`);

    // SQL over the sweep's directory: every run, its load as columns.
    const q = await cli([
      "query",
      "sweep",
      "select r.concurrency, r.request_count, r.sweep_point, r.repeat_index, count(*) as n, quantile_cont(q.inter_token_latency, 0.99) as p99_itl from requests q join runs r using (run_id) where q.phase = 'profiling' group by all order by r.concurrency",
      "--format",
      "json",
    ]);
    expect(q.code).toBe(0);
    const rows = JSON.parse(q.out) as { concurrency: number; request_count: number; sweep_point: number; repeat_index: number; n: number; p99_itl: number }[];
    expect(rows.map((x) => [x.concurrency, x.request_count, x.sweep_point, x.repeat_index, x.n])).toEqual([
      [2, 8, 1, 1, 8],
      [4, 16, 2, 1, 16],
      [8, 32, 3, 1, 32],
      [16, 64, 4, 1, 64],
    ]);
    expect(rows.every((x) => x.p99_itl > 0)).toBe(true);
  }, 60_000);

  test("repeats: each metric's mean, Student-t interval and CV; each run within the mock's capacity", async () => {
    expect(sweepTput.length).toBe(4);
    const r = await cli([
      ...base(),
      "--concurrency",
      "4",
      "--request-count",
      "16",
      "--num-profile-runs",
      "3",
      "--confidence-level",
      "0.99",
      "--artifact-dir",
      "repeats",
    ]);
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, "repeats")).sort()).toEqual(["run_01", "run_02", "run_03", "sweep_summary.csv", "sweep_summary.json"]);
    const point = (json("repeats", "sweep_summary.json").points as PointJson[])[0]!;
    expect(point.runs.map((x) => [x.repeat, x.dir, x.status])).toEqual([
      [1, "run_01", "ok"],
      [2, "run_02", "ok"],
      [3, "run_03", "ok"],
    ]);
    const tput = point.metrics.output_token_throughput_avg as { mean: number; ci_low: number; ci_high: number; cv: number; n: number; values: number[] };
    expect(tput.n).toBe(3);
    expect(tput.mean).toBeCloseTo(tput.values.reduce((a, b) => a + b, 0) / 3, 9);
    expect(tput.ci_low).toBeLessThan(tput.mean);
    expect(tput.ci_high).toBeGreaterThan(tput.mean);
    // The 99% Student-t interval of the mean of 3: mean -+ t(0.995, df 2) x s / sqrt(3), t = 9.9248 (tables).
    const s = Math.sqrt(tput.values.reduce((a, v) => a + (v - tput.mean) ** 2, 0) / 2);
    expect(tput.ci_high - tput.mean).toBeCloseTo((9.9248 * s) / Math.sqrt(3), 3);
    expect(tput.mean - tput.ci_low).toBeCloseTo((9.9248 * s) / Math.sqrt(3), 3);
    expect(tput.cv).toBeCloseTo(s / tput.mean, 9);
    // Each repeat is a run of the sweep's concurrency-4 point (same load, request count and warmup): the
    // mock's batch caps it. Not compared with the sweep's run itself, which ran earlier, under another load.
    expect(tput.values.length).toBe(3);
    for (const v of [...tput.values, sweepTput[1]!]) {
      expect(v).toBeLessThanOrEqual(CAPACITY * 1.1);
      expect(v).toBeGreaterThan(CAPACITY * 0.5);
    }
    expect(r.out).toContain("99% confidence interval of the mean over 3 runs");
    const q = await cli(["query", "repeats", "select repeat_index, sweep_point, concurrency from runs order by 1", "--format", "csv"]);
    expect(q.out).toBe("repeat_index,sweep_point,concurrency\n1,1,4\n2,1,4\n3,1,4\n");
  }, 40_000);

  test("the capacity search lands within one step of the largest concurrency whose TTFT meets the SLO (the batch size)", async () => {
    const r = await cli([
      ...base(),
      "--search-recipe",
      "max-concurrency-under-sla",
      "--ttft-sla-ms",
      "120",
      "--slo-attainment-fraction",
      "0.9",
      "--concurrency-min",
      "2",
      "--concurrency-max",
      "16",
      "--artifact-dir",
      "search",
    ]);
    expect(r.code).toBe(0);
    const s = json("search", "search_summary.json");
    expect(s.status).toBe("complete");
    expect(s.slos).toEqual(["time_to_first_token:120"]);
    expect(Math.abs(s.answer.feasible_max - B)).toBeLessThanOrEqual(1);
    expect(s.answer.infeasible_min).toBe(s.answer.feasible_max + 1);
    expect(s.convergence_reason).toBe("precision_reached");
    const probes = s.probes as { probe: number; concurrency: number; feasible: boolean; dir: string; good_request_fraction: number }[];
    // Doubling from --concurrency-min until a probe fails, then bisection (the batch size itself may
    // fail on a loaded machine: a stall of a few steps is a late first token; one step either way).
    expect(probes.length).toBeGreaterThanOrEqual(3);
    expect(probes.slice(0, 2).map((p) => p.concurrency)).toEqual([2, 4]);
    expect(probes[0]!.feasible).toBe(true);
    for (const p of probes) {
      expect(p.feasible).toBe(p.good_request_fraction >= 0.9);
      expect(existsSync(join(dir, "search", p.dir, "results.duckdb"))).toBe(true);
    }
    expect(r.out).toContain(`Answer: concurrency ${s.answer.feasible_max} (${s.answer.infeasible_min} fails)`);
    const q = await cli(["query", "search", "select count(*) from runs", "--format", "csv"]);
    expect(q.out).toBe(`count_star()\n${probes.length}\n`);
  }, 60_000);

  test("Ctrl-C during a sweep: the points done stay complete, the current run is cancelled as a single run is, the rest never start", async () => {
    const io = fakeIo(dir, { COLUMNS: "100" });
    const argv = [...base(), "--concurrency", "2,4,6", "--request-count", "8,400,400", "--sweep-type", "zip", "--artifact-dir", "stopped"];
    let finished = false;
    const done = runCli(argv, COMMANDS, io).finally(() => (finished = true));
    // Once the second point has sent requests for a moment, interrupt.
    const second = join(dir, "stopped", "concurrency_0004__request_count_0400");
    while (!finished && !existsSync(join(second, "profile_export.jsonl"))) await Bun.sleep(20);
    expect(io.stderr.join("")).not.toContain('Run "llmbench profile --help"');
    await Bun.sleep(300);
    io.raise("SIGINT");
    expect(await done).toBe(1);
    const points = json("stopped", "sweep_summary.json").points as PointJson[];
    expect(points.map((p) => p.status)).toEqual(["ok", "cancelled", "not run"]);
    expect(readdirSync(join(dir, "stopped")).filter((d) => d.startsWith("concurrency"))).toEqual([
      "concurrency_0002__request_count_0008",
      "concurrency_0004__request_count_0400",
    ]);
    expect(json("stopped", "concurrency_0002__request_count_0008", "profile_export_aiperf.json").was_cancelled).toBe(false);
    expect(JSON.parse(readFileSync(join(second, "profile_export_aiperf.json"), "utf8")).was_cancelled).toBe(true);
    expect(io.stdout.join("")).toContain("Stopped after 2 of 3 points: interrupted (Ctrl-C).");
  }, 60_000);

  test("--failed-request-threshold: the sweep stops at the run that passes it; a search counts that probe as failing", async () => {
    const sweep = await cli([
      ...base(faulty!.url),
      "--concurrency",
      "1,2",
      "--request-count",
      "20",
      "--failed-request-threshold",
      "0.2",
      "--artifact-dir",
      "failing",
    ]);
    expect(sweep.code).toBe(1);
    const points = json("failing", "sweep_summary.json").points as PointJson[];
    expect(points.map((p) => p.status)).toEqual(["aborted", "not run"]);
    expect(sweep.out).toContain("a run passed --failed-request-threshold");
    const search = await cli([
      ...base(faulty!.url),
      "--search-recipe",
      "max-concurrency-under-sla",
      "--goodput",
      "request_latency:1000",
      "--concurrency-max",
      "8",
      "--request-count",
      "20",
      "--failed-request-threshold",
      "0.2",
      "--artifact-dir",
      "failing-search",
    ]);
    expect(search.code).toBe(1);
    const s = json("failing-search", "search_summary.json");
    expect(s.convergence_reason).toBe("no_pass_in_range");
    expect(s.probes.map((p: { concurrency: number; feasible: boolean }) => [p.concurrency, p.feasible])).toEqual([[1, false]]);
    expect(search.out).toContain("Answer: no concurrency from 1 passes");
  }, 40_000);
});
