// `bun scripts/bench.ts block-prompts [prompts] [rounds]`: CPU to build the first N prompts of the shared
// Mooncake trace (hash-id blocks, builtin tokenizer, 512-token blocks), as the count worker builds them
// during a replay, with the blocks that came on the first try remembered (src/dataset/block-prompts.ts)
// and with every block checked by a count. A fresh builder per build-through, the arm first swapped every
// round; the texts of both arms must be identical. In process, no server.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createBlockPromptBuilder } from "../src/dataset/block-prompts.ts";
import { loadTokenizer } from "../src/dataset/tokenizer.ts";
import { median, pairOrder } from "./bench-pairs.ts";

const TRACE = resolve(import.meta.dir, "..", "..", "shared", "data", "mooncake", "synthetic_trace.jsonl");
const BLOCK_SIZE = 512;

interface TraceLine {
  input_length: number;
  hash_ids: number[];
}

export async function blockPromptsBench(prompts: number, rounds: number): Promise<Record<string, unknown>> {
  const lines = readFileSync(TRACE, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .slice(0, prompts)
    .map((l) => JSON.parse(l) as TraceLine);
  const tok = await loadTokenizer("builtin");
  const arms = [
    { arm: "first-try blocks remembered", firstTryIds: undefined },
    { arm: "every block counted", firstTryIds: 0 },
  ];
  const cpuMs: Record<string, number[]> = {};
  const digests = new Set<string>();
  for (let r = 0; r < rounds; r++) {
    for (const a of pairOrder(arms, r)) {
      const b = createBlockPromptBuilder(tok, { seed: 0, blockSize: BLOCK_SIZE, ...(a.firstTryIds !== undefined ? { firstTryIds: a.firstTryIds } : {}) });
      const hash = new Bun.CryptoHasher("sha256");
      const c0 = process.threadCpuUsage();
      for (const l of lines) hash.update(b.build(l.hash_ids, l.input_length));
      const c = process.threadCpuUsage(c0);
      (cpuMs[a.arm] ??= []).push((c.user + c.system) / 1000);
      digests.add(hash.digest("hex"));
      console.error(`block-prompts round ${r + 1} ${a.arm}: ${cpuMs[a.arm]!.at(-1)!.toFixed(0)} ms`);
    }
  }
  if (digests.size !== 1) throw new Error("the two arms built different texts");
  const tokens = lines.reduce((n, l) => n + l.input_length, 0);
  const [remembered, counted] = arms.map((a) => cpuMs[a.arm]!) as [number[], number[]];
  return {
    results: arms.map((a) => ({
      arm: a.arm,
      prompts: lines.length,
      tokens,
      rounds,
      cpu_ms_median: median(cpuMs[a.arm]!),
      us_per_prompt: (median(cpuMs[a.arm]!) * 1000) / lines.length,
      vs_every_block_counted: median(cpuMs[a.arm]!) / median(counted),
    })),
    runs: remembered.map((x, i) => ({ round: i + 1, remembered_ms: x, counted_ms: counted[i]! })),
    trace: join("shared", "data", "mooncake", "synthetic_trace.jsonl"),
  };
}
