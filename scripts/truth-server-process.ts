// Starts scripts/truth-server.ts on core 1 (the client gets core 0) and reads its URL: what the
// single-scenario scripts (rss-timeline.ts, late-chunks.ts) run against. Bench tooling.
import { join, resolve } from "node:path";
import { firstLine } from "./first-line.ts";

const ROOT = resolve(import.meta.dir, "..");

/** The server writes every chunk's send time to `truthPath`; TTFT and ITL in ms, `tokens` chunks a response. */
export async function startTruthServer(truthPath: string, ttftMs: number, itlMs: number, tokens: number): Promise<{ url: string; proc: Bun.Subprocess }> {
  const proc = Bun.spawn(
    ["taskset", "-c", "1", process.execPath, join(ROOT, "scripts/truth-server.ts"), truthPath, String(ttftMs), String(itlMs), String(tokens)],
    {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "inherit",
    },
  );
  const url = await firstLine(proc.stdout, () => "the truth server exited before printing its URL");
  return { url, proc };
}
