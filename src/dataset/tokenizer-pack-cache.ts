// Packs of loaded tokenizers on disk (<cache>/tokenizers), so a later run's main thread rebuilds its
// tokenizer from the pack instead of parsing tokenizer.json: for o200k 446 vs 1,229 ms of CPU
// (bench/tokenizer-load.md). A pack is keyed by the files it came from (path, size, modification
// time), the pack format and the tokenizer library's version; a missing, unreadable or stale pack only
// means the files are read. The cache keeps the packs used last (MAX_CACHED_PACKS): a pack's key
// changes with its files' modification time, so each reinstall of the same tokenizer files (npm ci,
// a fresh clone) wrote one more, and a dev machine's cache here had grown to 56 packs of 6 MB.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PACK_FORMAT, PACKED_FOR_LIBRARY } from "./tokenizer-pack.ts";

/** What a pack's name is derived from: each file's path, size and modification time, or null if one cannot be read. */
function fileStamp(path: string): string | null {
  try {
    const st = statSync(path);
    return `${path}\n${st.size}\n${st.mtimeMs}`;
  } catch {
    return null;
  }
}

/** The cache file for a tokenizer built from these files, or null when they cannot be stamped. */
export function packCachePath(cacheDir: string, files: readonly (string | undefined)[]): string | null {
  const stamps: string[] = [`format ${PACK_FORMAT}`, `library ${PACKED_FOR_LIBRARY}`];
  for (const f of files) {
    if (f === undefined) continue;
    const s = fileStamp(f);
    if (s === null) return null;
    stamps.push(s);
  }
  return join(cacheDir, `${Bun.hash(stamps.join("\n")).toString(16)}.pack`);
}

/** The cached pack, or null if there is none (or it cannot be read). */
export function readCachedPack(path: string): Uint8Array | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}

/** Packs a cache directory keeps: writing one more drops the least recently used beyond this (o200k's is 4.6 MB). */
export const MAX_CACHED_PACKS = 8;

/** Writes the pack whole or not at all (a temp file renamed), then prunes the directory; false when the cache cannot be written (skipped). */
export function writeCachedPack(path: string, packed: Uint8Array): boolean {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, packed);
    renameSync(tmp, path);
    prunePacks(dir, path);
    return true;
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // no directory to hold it: nothing was written
    }
    return false;
  }
}

/** Marks a cached pack as just used (its modification time), so pruning keeps it; never throws. */
export function touchCachedPack(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // a pack that cannot be touched is only pruned sooner
  }
}

/** Keeps `kept` and the MAX_CACHED_PACKS - 1 other packs used last; never throws (a pack another process removed first is fine). */
function prunePacks(dir: string, kept: string): void {
  try {
    const others = readdirSync(dir)
      .filter((f) => f.endsWith(".pack"))
      .map((f) => join(dir, f))
      .filter((p) => p !== kept);
    if (others.length < MAX_CACHED_PACKS) return;
    const byUse = others.map((p) => ({ p, usedMs: usedAtMs(p) })).sort((a, b) => b.usedMs - a.usedMs);
    for (const { p } of byUse.slice(MAX_CACHED_PACKS - 1)) rmSync(p, { force: true });
  } catch {
    // the directory could not be listed: nothing pruned
  }
}

function usedAtMs(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
