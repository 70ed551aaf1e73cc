// Inside the compiled binary, native addons live in Bun's embedded filesystem, but dlopen needs real
// files, and DuckDB's addon finds libduckdb through RUNPATH=$ORIGIN, so both must sit side by side.
// Extract them once into a versioned cache dir, atomically (private temp dir, then rename), so two
// processes starting at once never load a half-written library.
// Copies use readFileSync/writeFileSync: copyFile from the embedded filesystem fails.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

export interface EmbeddedFile {
  /** File name to give it in the cache dir. */
  name: string;
  /** Path inside the binary's embedded filesystem (from `import x from "..." with { type: "file" }`). */
  embeddedPath: string;
}

/** `$XDG_CACHE_HOME/llmbench`, else `~/.cache/llmbench`. */
export function cacheRoot(env: Record<string, string | undefined> = process.env): string {
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "llmbench");
  const home = env.HOME || homedir();
  return home ? join(home, ".cache", "llmbench") : join(tmpdir(), "llmbench-cache");
}

const MARKER = ".complete";

/** Returns the directory holding every file, extracting them first unless a complete copy exists. */
export function extractOnce(root: string, dirName: string, files: readonly EmbeddedFile[]): string {
  const dir = join(root, dirName);
  if (existsSync(join(dir, MARKER))) return dir;
  mkdirSync(root, { recursive: true });
  const tmp = join(root, `.${dirName}.${process.pid}.${Math.random().toString(36).slice(2)}`);
  mkdirSync(tmp);
  try {
    for (const f of files) writeFileSync(join(tmp, f.name), readFileSync(f.embeddedPath));
    writeFileSync(join(tmp, MARKER), dirName);
    try {
      renameSync(tmp, dir);
    } catch {
      // Lost the race to a process whose copy is complete, or a stale partial dir sits there.
      if (!existsSync(join(dir, MARKER))) {
        rmSync(dir, { recursive: true, force: true });
        renameSync(tmp, dir);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

/** dlopen a native addon from the cache and return its exports. */
export function loadEmbeddedAddon(dirName: string, addonName: string, files: readonly EmbeddedFile[]): unknown {
  const dir = extractOnce(cacheRoot(), dirName, files);
  const mod: { exports: unknown } = { exports: {} };
  process.dlopen(mod, join(dir, addonName));
  return mod.exports;
}
