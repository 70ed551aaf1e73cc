// The mock in its own process (`bun src/main.ts mock`): its timers and stamps are not delayed by
// whatever the test process runs, such as a profile run's main thread.
import { resolve } from "node:path";

export interface MockProcess {
  url: string;
  /** SIGTERM, then waits for the exit (the mock flushes its --record file on the way out). */
  stop(): Promise<void>;
}

const MAIN = resolve(import.meta.dir, "../../src/main.ts");

/** Starts `llmbench mock --port 0 ...args` and reads the URL it prints first. */
export async function spawnMock(args: readonly string[]): Promise<MockProcess> {
  const proc = Bun.spawn([process.execPath, MAIN, "mock", "--port", "0", ...args], { stdin: "ignore", stdout: "pipe", stderr: "ignore" });
  const reader = proc.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the mock exited before printing its URL (exit ${await proc.exited})`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  let stopped: Promise<void> | null = null;
  return {
    url: text.split("\n")[0]!.trim(),
    stop() {
      stopped ??= (async () => {
        proc.kill("SIGTERM");
        await proc.exited;
      })();
      return stopped;
    },
  };
}
