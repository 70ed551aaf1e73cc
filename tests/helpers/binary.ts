// Locates dist/llmbench, building it when absent (so `bun test` alone works; `npm test` builds first),
// and copies it alone into an empty directory for the end-to-end tests.
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
const BINARY = join(ROOT, "dist", "llmbench");

export async function ensureBinary(): Promise<string> {
  if (!existsSync(BINARY)) {
    const p = Bun.spawn([process.execPath, join(ROOT, "scripts/build.ts")], { cwd: ROOT, stdout: "inherit", stderr: "inherit" });
    if ((await p.exited) !== 0) throw new Error("building dist/llmbench failed");
  }
  return BINARY;
}

export interface LoneBinary {
  /** The empty directory holding only the copied binary (and what runs write there). */
  dir: string;
  exe: string;
  /** A bare environment: no Bun, no node_modules, a private cache dir for the DuckDB extraction. */
  env: Record<string, string>;
  run(args: string[], timeoutMs?: number): { code: number | null; out: string; err: string };
  remove(): void;
}

/** The binary copied alone into a new empty directory under the system temp dir. */
export async function loneBinary(prefix: string, defaultTimeoutMs = 30_000): Promise<LoneBinary> {
  const built = await ensureBinary();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const exe = join(dir, "llmbench");
  copyFileSync(built, exe);
  chmodSync(exe, 0o755);
  const env = { PATH: "/usr/bin:/bin", HOME: dir, XDG_CACHE_HOME: join(dir, "cache"), NO_COLOR: "1" };
  return {
    dir,
    exe,
    env,
    run(args, timeoutMs = defaultTimeoutMs) {
      const p = Bun.spawnSync([exe, ...args], { cwd: dir, env, stdout: "pipe", stderr: "pipe", timeout: timeoutMs });
      return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
