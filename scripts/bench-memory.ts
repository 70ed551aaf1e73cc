// `bun scripts/bench.ts memory [N,N,...]`: peak RSS of a whole profile run (the compiled binary, 4 output
// tokens, not streamed, 128 in flight) at each request count, and how long the end-of-run statistics took,
// read from the run's log. Records are never held in memory, so RSS should not grow with the request count.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");
const BIN = join(ROOT, "dist", "llmbench");

async function startMock(): Promise<{ url: string; proc: ReturnType<typeof Bun.spawn> }> {
  const proc = Bun.spawn(["taskset", "-c", "1", BIN, "mock", "--port", "0", "--ttft-ms", "0", "--itl-ms", "0"], { stdout: "pipe", stderr: "ignore" });
  const reader = proc.stdout.getReader();
  let buf = "";
  while (!buf.includes("\n")) {
    const r = await reader.read();
    if (r.done) throw new Error("mock exited before printing its URL");
    buf += new TextDecoder().decode(r.value);
  }
  reader.releaseLock();
  return { url: buf.trim(), proc };
}

export async function memory(levels: number[]): Promise<Record<string, unknown>> {
  const results: Record<string, unknown>[] = [];
  for (const n of levels) {
    const mock = await startMock();
    const dir = mkdtempSync(join(tmpdir(), "llmbench-mem-"));
    const t0 = performance.now();
    const args = ["profile", "-u", mock.url, "-m", "mock-model", "--tokenizer", "builtin", "--isl", "16", "--osl", "4", "--no-preflight"];
    args.push("--concurrency", "128", "--request-count", String(n), "--ui", "none", "--artifact-dir", join(dir, "run"));
    const p = Bun.spawn(["taskset", "-c", "0", BIN, ...args], { stdout: "ignore", stderr: "pipe" });
    const code = await p.exited;
    const wall_s = (performance.now() - t0) / 1000;
    mock.proc.kill("SIGINT");
    await mock.proc.exited;
    const log = readFileSync(join(dir, "run", "logs", "llmbench.log"), "utf8");
    const resultsMs = Number(/statistics from \d+ records in ([\d.]+) ms/.exec(log)?.[1] ?? Number.NaN);
    // Bun.spawn reports maxRSS in bytes.
    const peakRssMiB = Math.round((p.resourceUsage()?.maxRSS ?? 0) / 2 ** 20);
    results.push({ requests: n, exit: code, peak_rss_mib: peakRssMiB, statistics_ms: resultsMs, wall_s });
    console.error(`memory: ${JSON.stringify(results.at(-1))}`);
    rmSync(dir, { recursive: true, force: true });
  }
  return { results };
}
