// A bench's server in a process of its own on core 1 (the client is pinned to core 0 with `pin`), and
// the URL it prints first. Bench tooling.
import { join, resolve } from "node:path";
import { firstLine } from "./first-line.ts";

const ROOT = resolve(import.meta.dir, "..");

/** Whether taskset is here: without it, processes run unpinned. */
export const hasTaskset = Bun.spawnSync(["sh", "-c", "command -v taskset"]).exitCode === 0;

/** `cmd` confined to one core (taskset), or as it is where there is no taskset. */
export const pin = (core: number, cmd: string[]): string[] => (hasTaskset ? ["taskset", "-c", String(core), ...cmd] : cmd);

export interface ServerProcess {
  url: string;
  proc: ReturnType<typeof Bun.spawn>;
}

/** Starts `cmd` on core 1 and reads its URL; when it exits before printing one, its stderr says why. */
export async function startServerOnCore1(cmd: string[]): Promise<ServerProcess> {
  const proc = Bun.spawn(pin(1, cmd), { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const url = await firstLine(proc.stdout, async () => `server exited before printing its URL: ${await new Response(proc.stderr).text()}`);
  return { url, proc };
}

/** scripts/truth-server.ts, writing every chunk's send time to `truthPath`; TTFT and ITL in ms, `tokens` chunks a response. */
export function startTruthServer(truthPath: string, ttftMs: number, itlMs: number, tokens: number): Promise<ServerProcess> {
  return startServerOnCore1([process.execPath, join(ROOT, "scripts/truth-server.ts"), truthPath, String(ttftMs), String(itlMs), String(tokens)]);
}
