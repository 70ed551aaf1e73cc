// `bun scripts/bench.ts plot [N,N,...]`: how long `llmbench plot` takes for a run of N requests
// (default 10,000 and 1,000,000; a synthetic results.duckdb filled by SQL), split into the SQL
// queries, the HTML and the PNGs, in-process (median of 3) and as the compiled binary (process start
// included), with the sizes of report.html and the PNGs; then a 3-point sweep of 1,000,000 each.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { findRuns } from "../src/plot/run-set.ts";
import { writeReport } from "../src/plot/write-report.ts";
import { writeSyntheticRun } from "../tests/helpers/synthetic-results.ts";
import { median } from "./bench-pairs.ts";

const ROOT = resolve(import.meta.dir, "..");
const BIN = join(ROOT, "dist", "llmbench");

const dirBytes = (dir: string): number => (existsSync(dir) ? readdirSync(dir).reduce((a, f) => a + statSync(join(dir, f)).size, 0) : 0);

async function timeInProcess(target: string): Promise<Record<string, number>> {
  const runs: { q: number; html: number; png: number; charts: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const problems: string[] = [];
    const set = findRuns([target], "/", problems);
    if (!set) throw new Error(problems.join("; "));
    const out = await writeReport(set);
    runs.push({ q: out.timings.queriesMs, html: out.timings.htmlMs, png: out.timings.pngMs, charts: out.charts });
  }
  return {
    charts: runs[0]!.charts,
    queries_s: median(runs.map((r) => r.q)) / 1000,
    html_s: median(runs.map((r) => r.html)) / 1000,
    png_s: median(runs.map((r) => r.png)) / 1000,
    total_s: median(runs.map((r) => r.q + r.html + r.png)) / 1000,
  };
}

function timeBinary(target: string, extra: string[] = []): number | null {
  if (!existsSync(BIN)) return null;
  const t0 = performance.now();
  const p = Bun.spawnSync([BIN, "plot", target, ...extra], { stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`llmbench plot failed: ${p.stderr.toString()}`);
  return (performance.now() - t0) / 1000;
}

export async function plotBench(levels: number[]): Promise<Record<string, unknown>> {
  const results: Record<string, unknown>[] = [];
  const root = mkdtempSync(join(tmpdir(), "llmbench-plot-bench-"));
  try {
    for (const n of levels) {
      const dir = join(root, `run-${n}`);
      const g0 = performance.now();
      await writeSyntheticRun(dir, { requests: n, failEvery: 200, warmup: 100, concurrency: 64, config: { goodput: ["time_to_first_token:50"] } });
      const generate_s = (performance.now() - g0) / 1000;
      const t = await timeInProcess(dir);
      const binary_s = timeBinary(dir);
      const binary_html_only_s = timeBinary(dir, ["--no-png"]);
      const row = {
        what: `single run, ${n} requests`,
        ...t,
        binary_wall_s: binary_s ?? "no dist/llmbench",
        binary_no_png_wall_s: binary_html_only_s ?? "no dist/llmbench",
        report_html_kb: statSync(join(dir, "report.html")).size / 1024,
        pngs_kb: dirBytes(join(dir, "plots")) / 1024,
        db_mb: statSync(join(dir, "results.duckdb")).size / 2 ** 20,
        generate_db_s: generate_s,
        // Other work on the machine slows every figure here: the 1-minute load average, for context.
        load_avg: loadavg()[0]!,
      };
      console.error(JSON.stringify(row));
      results.push(row);
    }
    const big = Math.max(...levels);
    const sweep = join(root, "sweep");
    for (const c of [8, 32, 128])
      await writeSyntheticRun(join(sweep, `concurrency_${String(c).padStart(4, "0")}`), {
        requests: big,
        concurrency: c,
        ttftMs: 20 + c,
        itlMs: 5 + c / 16,
        seed: c,
      });
    const t = await timeInProcess(sweep);
    const row = {
      what: `sweep, 3 runs of ${big} requests`,
      ...t,
      binary_wall_s: timeBinary(sweep) ?? "no dist/llmbench",
      binary_no_png_wall_s: timeBinary(sweep, ["--no-png"]) ?? "no dist/llmbench",
      report_html_kb: statSync(join(sweep, "report.html")).size / 1024,
      pngs_kb: dirBytes(join(sweep, "plots")) / 1024,
      db_mb: (3 * statSync(join(sweep, "concurrency_0008", "results.duckdb")).size) / 2 ** 20,
      generate_db_s: 0,
      load_avg: loadavg()[0]!,
    };
    console.error(JSON.stringify(row));
    results.push(row);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { results };
}
