// ShareGPT (--public-dataset sharegpt), as AIPerf reads it (aiperf/dataset/loader/sharegpt.py and
// base_public_dataset.py): the file is a JSON array of {"id", "conversations": [{"from", "value"}]}.
// Each adjacent human -> gpt message pair is one turn (messages without a "from" role: the first two
// values are one pair); the turn's prompt is the human text and its max tokens the gpt reply's token
// count. An entry is kept only when every pair passes vLLM's length filter (isValidSequence); entries
// with fewer than two messages or no pair are skipped. The file is read element by element.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { forEachJsonArrayElement, JsonArrayError } from "./json-array-stream.ts";
import type { SessionSpec } from "./plan-types.ts";
import type { TextTokenizer } from "./tokenizer.ts";

/** Where AIPerf downloads it from: a Hugging Face dataset repo and file. */
export const SHAREGPT_REPO = "anon8231489123/ShareGPT_Vicuna_unfiltered";
export const SHAREGPT_FILE = "ShareGPT_V3_unfiltered_cleaned_split.json";
export const SHAREGPT_REVISION = "main";
/** AIPerf's own download cache, relative to its working directory. */
export const AIPERF_SHAREGPT_CACHE = `.cache/aiperf/datasets/${SHAREGPT_FILE}`;

/** vLLM's defaults, as AIPerf's is_valid_sequence has them. */
const MIN_SEQ_LEN = 4;
const MAX_PROMPT_LEN = 1024;
const MAX_TOTAL_LEN = 2048;

/**
 * AIPerf's is_valid_sequence: prompt at least 4 and at most 1024 tokens, output at least 4 (unless
 * skipped: AIPerf skips it when an --osl mean is given), prompt + output at most 2048.
 */
export function isValidSequence(promptTokens: number, outputTokens: number, skipMinOutput: boolean): boolean {
  if (promptTokens < MIN_SEQ_LEN || promptTokens > MAX_PROMPT_LEN) return false;
  if (!skipMinOutput && outputTokens < MIN_SEQ_LEN) return false;
  return promptTokens + outputTokens <= MAX_TOTAL_LEN;
}

type Message = Record<string, unknown>;
const isMessage = (m: unknown): m is Message => typeof m === "object" && m !== null && !Array.isArray(m);
const textOf = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);

/**
 * The (prompt, completion) pairs of one entry's `conversations`: with human/gpt roles, every human
 * message directly followed by a gpt one (both non-empty); without roles, the first two values.
 */
export function sharegptPairs(conversations: unknown): [string, string][] {
  if (!Array.isArray(conversations)) return [];
  const msgs = conversations.filter(isMessage);
  if (msgs.length < 2) return [];
  const isRole = (m: Message): boolean => m.from === "human" || m.from === "gpt";
  if (!msgs.some(isRole)) {
    const p = textOf(msgs[0]!.value);
    const c = textOf(msgs[1]!.value);
    return p !== null && c !== null ? [[p, c]] : [];
  }
  const roles = msgs.filter(isRole);
  const pairs: [string, string][] = [];
  for (let i = 0; i < roles.length - 1; ) {
    const a = roles[i]!;
    const b = roles[i + 1]!;
    if (a.from === "human" && b.from === "gpt") {
      const p = textOf(a.value);
      const c = textOf(b.value);
      if (p !== null && c !== null) pairs.push([p, c]);
      i += 2;
    } else i += 1;
  }
  return pairs;
}

export interface ShareGptOptions {
  tok: TextTokenizer;
  /** An --osl mean was given: AIPerf then skips the minimum output length check. */
  skipMinOutput: boolean;
}

export interface LoadedShareGpt {
  sessions: SessionSpec[];
  /** Entries read. */
  entries: number;
  /** Entries left out (too few messages, no pair, or a pair outside the length filter). */
  skipped: number;
}

/** One entry as sessions of turns, or null when AIPerf would skip it. */
export function sharegptSession(entry: unknown, sessionId: string, o: ShareGptOptions): SessionSpec | null {
  if (!isMessage(entry)) return null;
  const pairs = sharegptPairs(entry.conversations);
  if (pairs.length === 0) return null;
  const turns: SessionSpec["turns"] = [];
  for (const [prompt, completion] of pairs) {
    const promptTokens = o.tok.count(prompt);
    // Past the prompt bound the completion need not be counted: the entry is out either way.
    if (promptTokens < MIN_SEQ_LEN || promptTokens > MAX_PROMPT_LEN) return null;
    const outputTokens = o.tok.count(completion);
    if (!isValidSequence(promptTokens, outputTokens, o.skipMinOutput)) return null;
    turns.push({ prompt: { kind: "text", text: prompt, tokens: promptTokens }, maxTokens: outputTokens, timestampMs: null, delayMs: 0 });
  }
  return { sessionId, turns };
}

/** A bad ShareGPT file; one line naming the file. */
export class ShareGptError extends Error {
  override name = "ShareGptError";
}

const sessionIdOf = (i: number): string => `sharegpt_${String(i).padStart(6, "0")}`;

/**
 * Reads a ShareGPT JSON file (a local copy or the cached download) into sessions, one entry at a time.
 * Counting every text's tokens is most of the time (a minute or more for the 650 MB file), so with
 * `countCacheDir` the kept entries and their counts are stored there, keyed by the file and the
 * tokenizer; a later run with the same pair only parses the file.
 */
export function loadShareGpt(path: string, o: ShareGptOptions & { countCacheDir?: string }): LoadedShareGpt {
  try {
    const key = o.countCacheDir === undefined ? null : countCacheKey(path, o);
    const cached = key === null ? null : readCountCache(o.countCacheDir!, key);
    if (cached !== null) return fromCountCache(path, cached);
    const keptCounts: number[][] = [];
    const sessions: SessionSpec[] = [];
    let entries = 0;
    forEachJsonArrayElement(path, (entry, i) => {
      entries++;
      const s = sharegptSession(entry, sessionIdOf(i), o);
      if (s === null) return;
      sessions.push(s);
      keptCounts.push([i, ...s.turns.flatMap((t) => [t.prompt.tokens, t.maxTokens ?? 0])]);
    });
    if (key !== null) writeCountCache(o.countCacheDir!, key, { entries, kept: keptCounts });
    return { sessions, entries, skipped: entries - sessions.length };
  } catch (e) {
    if (e instanceof JsonArrayError) throw new ShareGptError(`${path}: not a ShareGPT JSON array: ${e.message} (at byte ${e.offset})`);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new ShareGptError(`${path}: no such file`);
    throw e;
  }
}

/** Kept entries: [entry index, prompt tokens, max tokens, prompt tokens, max tokens, ...]. */
interface CountCache {
  entries: number;
  kept: number[][];
}

const COUNT_CACHE_VERSION = 1;

/** The file (path, size, mtime), the tokenizer (its name, and its file's size and mtime) and the filter setting. */
function countCacheKey(path: string, o: ShareGptOptions): string {
  const st = statSync(path);
  const tokFile = existsSync(o.tok.name) ? statSync(o.tok.name) : null;
  const id = [COUNT_CACHE_VERSION, realpathSync(path), st.size, st.mtimeMs, o.tok.name, tokFile?.size ?? 0, tokFile?.mtimeMs ?? 0, o.skipMinOutput];
  return createHash("sha256").update(JSON.stringify(id)).digest("hex").slice(0, 24);
}

function readCountCache(dir: string, key: string): CountCache | null {
  try {
    const c = JSON.parse(readFileSync(join(dir, `${key}.json`), "utf8")) as CountCache;
    return Number.isInteger(c.entries) && Array.isArray(c.kept) ? c : null;
  } catch {
    return null;
  }
}

/** Best effort: a cache that cannot be written only costs the next run the counting again. */
function writeCountCache(dir: string, key: string, c: CountCache): void {
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `${key}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(c));
    renameSync(tmp, join(dir, `${key}.json`));
  } catch {
    // ignored (see above)
  }
}

/** The sessions the counts describe, their texts read from the file again (no counting). */
function fromCountCache(path: string, c: CountCache): LoadedShareGpt {
  const sessions: SessionSpec[] = [];
  let k = 0;
  forEachJsonArrayElement(path, (entry, i) => {
    const counts = c.kept[k];
    if (counts === undefined || counts[0] !== i) return;
    k++;
    const pairs = isMessage(entry) ? sharegptPairs(entry.conversations) : [];
    if (pairs.length * 2 !== counts.length - 1)
      throw new ShareGptError(`${path}: changed since its token counts were cached (entry ${i + 1}); touch the file to count again`);
    sessions.push({
      sessionId: sessionIdOf(i),
      turns: pairs.map(([prompt], t) => ({
        prompt: { kind: "text", text: prompt, tokens: counts[1 + 2 * t]! },
        maxTokens: counts[2 + 2 * t]!,
        timestampMs: null,
        delayMs: 0,
      })),
    });
  });
  return { sessions, entries: c.entries, skipped: c.entries - sessions.length };
}
