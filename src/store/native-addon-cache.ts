// Inside the compiled binary, native addons live in Bun's embedded filesystem, but dlopen needs real
// files, and DuckDB's addon finds libduckdb through RUNPATH=$ORIGIN, so both must sit side by side.
// Extract them once into a versioned cache dir, atomically (private temp dir, then rename), so two
// processes starting at once never load a half-written library.
// Copies use readFileSync/writeFileSync: copyFile from the embedded filesystem fails.
// This runs when the binary loads, before any command (even --version): when the cache dir cannot be
// written (read-only or missing HOME), it falls back to a private dir in the OS temp dir.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
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

/** A real directory (not a link) owned by `uid` that no one else can write into or read. */
function isPrivateDir(path: string, uid: number): boolean {
  const st = lstatSync(path);
  return st.isDirectory() && st.uid === uid && (st.mode & 0o077) === 0;
}

/**
 * `<tmp>/llmbench-<uid>`, created with mode 0700, or reused when it is a directory of ours that only
 * we can use. In a shared /tmp anyone may have made that name first (a link, a dir of theirs): then
 * a fresh private dir with a random name, used by this process alone.
 */
export function privateTempRoot(base: string = tmpdir(), uid: number = process.getuid?.() ?? 0): string {
  const root = join(base, `llmbench-${uid}`);
  try {
    mkdirSync(root, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  if (isPrivateDir(root, uid)) return root;
  return mkdtempSync(join(base, `llmbench-${uid}-`));
}

/** Extracts into `primary`, else (it cannot be written) into the private temp root, noting why. */
export function extractWithFallback(
  primary: string,
  dirName: string,
  files: readonly EmbeddedFile[],
  note: (line: string) => void,
  fallbackRoot: () => string = () => privateTempRoot(),
): string {
  try {
    return extractOnce(primary, dirName, files);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    const root = fallbackRoot();
    note(`llmbench: note: cannot write the cache dir ${primary} (${why}); using ${root} (set XDG_CACHE_HOME to choose)`);
    return extractOnce(root, dirName, files);
  }
}

/** dlopen a native addon from the cache and return its exports; one line and exit 1 if impossible. */
export function loadEmbeddedAddon(dirName: string, addonName: string, files: readonly EmbeddedFile[]): unknown {
  try {
    const dir = extractWithFallback(cacheRoot(), dirName, files, (line) => process.stderr.write(`${line}\n`));
    const mod: { exports: unknown } = { exports: {} };
    process.dlopen(mod, join(dir, addonName));
    return mod.exports;
  } catch (e) {
    // This runs as the binary loads, before the CLI's own error handling exists.
    process.stderr.write(`llmbench: error: cannot load DuckDB's native library: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}\n`);
    if (process.env.LLMBENCH_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exit(1);
  }
}
