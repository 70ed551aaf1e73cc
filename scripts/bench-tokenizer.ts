// `bun scripts/bench.ts tokenizer-load [REPEATS]`: what it costs a thread to get the builtin tokenizer
// (o200k) from its tokenizer.json, as the main thread does, against from the main thread's pack
// (TextTokenizer.pack), as the count worker does. Each load runs in its own process, the two ways
// alternating REPEATS times (default 5): CPU and wall time of the load, and the process's peak RSS
// beside a process that only imports the module ("none").
//   child mode: bun scripts/bench-tokenizer.ts none|json|pack [PACK_FILE]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadTokenizer, tokenizerFromPack } from "../src/dataset/tokenizer.ts";

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

type Way = "none" | "json" | "pack";

async function child(way: Way, packFile: string | undefined): Promise<void> {
  const packed = way === "pack" ? readFileSync(packFile!, "utf8") : "";
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const tok = way === "json" ? await loadTokenizer("builtin") : way === "pack" ? tokenizerFromPack("builtin", packed) : null;
  const wall_ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  // A count proves the tokenizer works; it is not timed.
  const tokens = tok?.count("The quick brown fox jumps over the lazy dog.") ?? 0;
  // VmHWM: this process's peak RSS (kB).
  const hwm_kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? Number.NaN);
  console.log(JSON.stringify({ cpu_ms: (c.user + c.system) / 1000, wall_ms, tokens, hwm_kb }));
}

interface LoadRun {
  way: Way;
  cpu_ms: number;
  wall_ms: number;
  peak_rss_mib: number;
}

function runChild(way: Way, packFile: string): LoadRun {
  const p = Bun.spawnSync([process.execPath, import.meta.path, way, packFile], { stdout: "pipe", stderr: "inherit" });
  if (p.exitCode !== 0) throw new Error(`tokenizer-load ${way} exited ${p.exitCode}`);
  const r = JSON.parse(p.stdout.toString().trim()) as { cpu_ms: number; wall_ms: number; tokens: number; hwm_kb: number };
  if (way !== "none" && r.tokens !== 10) throw new Error(`tokenizer-load ${way}: counted ${r.tokens} tokens, o200k gives 10`);
  return { way, cpu_ms: r.cpu_ms, wall_ms: r.wall_ms, peak_rss_mib: Math.round(r.hwm_kb / 1024) };
}

export async function tokenizerLoad(repeats = 5): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "llmbench-tokload-"));
  const packFile = join(dir, "o200k.pack");
  writeFileSync(packFile, (await loadTokenizer("builtin")).pack()!);
  const runs: LoadRun[] = [];
  for (let i = 0; i < repeats; i++) {
    for (const way of ["none", "json", "pack"] as const) {
      runs.push(runChild(way, packFile));
      console.error(`tokenizer-load: ${JSON.stringify(runs.at(-1))}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const base = median(runs.filter((r) => r.way === "none").map((r) => r.peak_rss_mib));
  const results = (["json", "pack"] as const).map((way) => {
    const mine = runs.filter((r) => r.way === way);
    return {
      way,
      runs: mine.length,
      median_cpu_ms: Math.round(median(mine.map((r) => r.cpu_ms))),
      median_wall_ms: Math.round(median(mine.map((r) => r.wall_ms))),
      median_peak_rss_mib: median(mine.map((r) => r.peak_rss_mib)),
      median_rss_over_import_mib: median(mine.map((r) => r.peak_rss_mib)) - base,
    };
  });
  return { results, runs };
}

if (import.meta.main) await child(process.argv[2] as Way, process.argv[3]);
