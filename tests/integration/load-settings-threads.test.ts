// The load commands restart with JavaScriptCore's block warm-up thread off (runtime/jit-env.ts): a
// running demo has no JSCWarmUp thread, and with the user's BUN_JSC_useWarmUpMarkedBlocks=1 it has one
// (so the name looked for is still the thread's, and its absence says something).
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const MAIN = resolve(import.meta.dir, "../../src/main.ts");
const dir = mkdtempSync(join(tmpdir(), "llmbench-threads-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Thread names of a process (Linux), or [] once it is gone. */
function threadNames(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map((t) => {
      try {
        return readFileSync(`/proc/${pid}/task/${t}/comm`, "utf8").trim();
      } catch {
        return "";
      }
    });
  } catch {
    return [];
  }
}

/** A demo's thread names once its load workers run (bounded: 20 s), then the demo is killed. */
async function threadsWhileLoading(name: string, env: Record<string, string>): Promise<string[]> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("BUN_JSC_")) base[k] = v;
  const proc = Bun.spawn([process.execPath, MAIN, "demo", "--request-count", "100000", "--concurrency", "4", "--artifact-dir", join(dir, name)], {
    stdout: "ignore",
    stderr: "ignore",
    env: { ...base, ...env },
  });
  try {
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      const names = threadNames(proc.pid);
      if (names.filter((n) => n === "Worker").length >= 2) return names;
      await Bun.sleep(50);
    }
    throw new Error(`no load workers within 20 s; threads: ${threadNames(proc.pid).join(", ")}`);
  } finally {
    proc.kill("SIGKILL");
    await proc.exited;
  }
}

test.skipIf(process.platform !== "linux")(
  "a load command runs without the block warm-up thread unless the user asks for it",
  async () => {
    const ours = await threadsWhileLoading("default", {});
    expect(ours.length).toBeGreaterThan(4);
    expect(ours).toContain("JITWorker");
    expect(ours).not.toContain("JSCWarmUp");
    const users = await threadsWhileLoading("kept", { BUN_JSC_useWarmUpMarkedBlocks: "1" });
    expect(users).toContain("JSCWarmUp");
  },
  60_000,
);
