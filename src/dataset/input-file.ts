// --input-file with --custom-dataset-type, in AIPerf's JSONL formats (aiperf/dataset/loader/):
//   single_turn     each line one session of one turn: "text" or "texts", optional "timestamp" or "delay" (ms);
//   multi_turn      each line {"session_id"?, "turns": [single_turn objects]}; lines with the same
//                   session_id are one session (in first-seen order), their turns concatenated;
//   random_pool     lines of "text"/"texts"; a file is one pool, a directory one pool per file (by name):
//                   numEntries sessions each join one seeded-random entry of every pool with "\n\n",
//                   and the engine picks sessions at random;
//   mooncake_trace  "input_length" (+ "hash_ids": blocks of --isl-block-size tokens) or "text_input",
//                   "output_length" (max tokens), "timestamp" or "delay" (ms), "session_id" (groups
//                   turns; lines without one are one-turn sessions). Entries whose timestamp falls outside
//                   [startOffsetMs, endOffsetMs] are skipped and counted, as AIPerf's loader does.
// Blank lines are skipped. Every line is validated (input-file-lines.ts); the first bad one stops the
// load with an InputFileError "<path>:<line>: <what is wrong and what is allowed>".
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { blockLayoutError } from "./block-prompts.ts";
import { EntryError, parseMooncake, parseMultiTurn, parseRandomPool, parseSingleTurn } from "./input-file-lines.ts";
import type { PromptSource, SessionSpec, TurnSpec } from "./plan-types.ts";
import { mulberry32 } from "./seeded-rng.ts";
import type { TextTokenizer } from "./tokenizer.ts";

export type CustomDatasetType = "single_turn" | "multi_turn" | "random_pool" | "mooncake_trace";
const CUSTOM_DATASET_TYPES: readonly CustomDatasetType[] = ["single_turn", "multi_turn", "random_pool", "mooncake_trace"];

/** A bad --input-file; the message is one line, "<path>[:<line>]: <what is wrong and what is allowed>". */
export class InputFileError extends Error {
  override name = "InputFileError";
}

export interface InputFileOptions {
  tok: TextTokenizer;
  /** Tokens per hash-id block (--isl-block-size). */
  blockSize: number;
  /** Seeds the random_pool draws. */
  seed: number;
  /** Sessions built from a random_pool. */
  numEntries: number;
  /** mooncake_trace entries with a timestamp before this (ms) are skipped; null: none. */
  startOffsetMs: number | null;
  /** mooncake_trace entries with a timestamp after this (ms) are skipped; null: none. */
  endOffsetMs: number | null;
}

export interface LoadedInputFile {
  sessions: SessionSpec[];
  sampling: "sequential" | "random";
  /** mooncake_trace entries left out by the start/end offsets. */
  skipped: number;
  /** The first entry of the file has a timestamp (AIPerf then replays a mooncake_trace on schedule). */
  hasTimestamps: boolean;
}

/** A session being assembled; sessionId null until generated ids are given out at the end. */
interface Draft {
  sessionId: string | null;
  turns: TurnSpec[];
}

export function loadInputFile(path: string, type: CustomDatasetType, o: InputFileOptions): LoadedInputFile {
  if (!CUSTOM_DATASET_TYPES.includes(type)) {
    throw new InputFileError(`--custom-dataset-type ${String(type)}: unknown; use one of ${CUSTOM_DATASET_TYPES.join(", ")}`);
  }
  const isDir = statPath(path);
  if (isDir && type !== "random_pool") {
    throw new InputFileError(`${path}: is a directory; only --custom-dataset-type random_pool reads a directory (one pool per file)`);
  }
  switch (type) {
    case "single_turn":
    case "multi_turn":
      return loadTurns(path, type, o);
    case "random_pool":
      return loadRandomPool(path, isDir, o);
    case "mooncake_trace":
      return loadMooncake(path, o);
  }
}

function loadTurns(path: string, type: "single_turn" | "multi_turn", o: InputFileOptions): LoadedInputFile {
  const drafts: Draft[] = [];
  const byId = new Map<string, Draft>();
  let hasTimestamps: boolean | null = null;
  forEachEntry(path, (v) => {
    const entry = type === "single_turn" ? { sessionId: null, turns: [parseSingleTurn(v)] } : parseMultiTurn(v);
    hasTimestamps ??= entry.turns[0]?.timestampMs !== null;
    const turns = entry.turns.map(
      (t): TurnSpec => ({
        prompt: textPrompt(o.tok, t.text),
        maxTokens: null,
        timestampMs: t.timestampMs,
        delayMs: t.delayMs ?? 0,
      }),
    );
    addTurns(drafts, byId, entry.sessionId, turns);
  });
  return { sessions: finish(drafts, byId), sampling: "sequential", skipped: 0, hasTimestamps: hasTimestamps ?? false };
}

function loadRandomPool(path: string, isDir: boolean, o: InputFileOptions): LoadedInputFile {
  if (!Number.isSafeInteger(o.numEntries) || o.numEntries < 1) {
    throw new RangeError(`random_pool needs a positive number of entries to build, got ${o.numEntries}`);
  }
  const files = isDir ? poolFiles(path) : [path];
  const pools = files.map((file) => {
    const pool: string[] = [];
    forEachEntry(file, (v) => pool.push(parseRandomPool(v)));
    return pool;
  });
  // As AIPerf: every session draws one entry (with replacement) from each pool and joins them.
  const u = mulberry32(o.seed ^ 0x9001);
  const sessions: SessionSpec[] = [];
  for (let i = 0; i < o.numEntries; i++) {
    const text = pools.map((p) => p[Math.floor(u() * p.length)]!).join("\n\n");
    sessions.push({ sessionId: generatedId(i), turns: [{ prompt: textPrompt(o.tok, text), maxTokens: null, timestampMs: null, delayMs: 0 }] });
  }
  return { sessions, sampling: "random", skipped: 0, hasTimestamps: false };
}

function loadMooncake(path: string, o: InputFileOptions): LoadedInputFile {
  if (!Number.isSafeInteger(o.blockSize) || o.blockSize < 1) throw new RangeError(`block size must be a positive integer, got ${o.blockSize}`);
  const drafts: Draft[] = [];
  const byId = new Map<string, Draft>();
  let hasTimestamps: boolean | null = null;
  let skipped = 0;
  // Lines without hash_ids get fresh negative ids, unique in the file, so their prompts are unique.
  let nextFreshId = -1;
  forEachEntry(path, (v) => {
    const e = parseMooncake(v);
    hasTimestamps ??= e.timestampMs !== null;
    let prompt: PromptSource;
    if (e.textInput !== null) {
      // AIPerf: text_input wins over input_length and hash_ids.
      prompt = textPrompt(o.tok, e.textInput);
    } else {
      const hashIds = e.hashIds?.length ? e.hashIds : freshIds(e.inputLength!, o.blockSize, nextFreshId);
      if (hashIds !== e.hashIds) nextFreshId -= hashIds.length;
      prompt = blocksPrompt(e.inputLength!, hashIds, o.blockSize);
    }
    const t = e.timestampMs;
    if (t !== null && ((o.startOffsetMs !== null && t < o.startOffsetMs) || (o.endOffsetMs !== null && t > o.endOffsetMs))) {
      skipped++;
      return;
    }
    addTurns(drafts, byId, e.sessionId, [{ prompt, maxTokens: e.outputLength, timestampMs: t, delayMs: e.delayMs ?? 0 }]);
  });
  return { sessions: finish(drafts, byId), sampling: "sequential", skipped, hasTimestamps: hasTimestamps ?? false };
}

/** A block prompt; the layout must hold (every block full but the last, which holds 1..blockSize tokens). */
function blocksPrompt(tokens: number, hashIds: number[], blockSize: number): PromptSource {
  const problem = blockLayoutError(tokens, hashIds.length, blockSize);
  if (problem !== null) throw new EntryError(`${problem}; fix the line or --isl-block-size`);
  return { kind: "blocks", hashIds, tokens };
}

/** Ids for a line without hash_ids (or with [], which AIPerf treats the same: no shared blocks): `from`, `from - 1`, ... */
function freshIds(tokens: number, blockSize: number, from: number): number[] {
  return Array.from({ length: Math.ceil(tokens / blockSize) }, (_, i) => from - i);
}

function textPrompt(tok: TextTokenizer, text: string): PromptSource {
  return { kind: "text", text, tokens: tok.count(text) };
}

function addTurns(drafts: Draft[], byId: Map<string, Draft>, sessionId: string | null, turns: TurnSpec[]): void {
  if (sessionId === null) {
    drafts.push({ sessionId: null, turns });
    return;
  }
  const d = byId.get(sessionId);
  if (d) {
    d.turns.push(...turns);
    return;
  }
  const fresh = { sessionId, turns };
  byId.set(sessionId, fresh);
  drafts.push(fresh);
}

/** Sessions with ids: entries without one get `session_000042` (their index), made unique against the file's ids. */
function finish(drafts: Draft[], fileIds: ReadonlyMap<string, Draft>): SessionSpec[] {
  return drafts.map((d, i) => {
    if (d.sessionId !== null) return { sessionId: d.sessionId, turns: d.turns };
    let id = generatedId(i);
    for (let k = 1; fileIds.has(id); k++) id = `${generatedId(i)}_${k}`;
    return { sessionId: id, turns: d.turns };
  });
}

function generatedId(i: number): string {
  return `session_${String(i).padStart(6, "0")}`;
}

/** Calls `each` with every non-blank line's JSON value; errors get the file and 1-based line. */
function forEachEntry(path: string, each: (value: unknown) => void): void {
  let content: string;
  try {
    content = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputFileError(`${path}: cannot read the file (${oneLine(e)})`);
  }
  let entries = 0;
  let start = content.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let lineNo = 1; start <= content.length; lineNo++) {
    let end = content.indexOf("\n", start);
    if (end < 0) end = content.length;
    const line = content.slice(start, end).trim();
    start = end + 1;
    if (line === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new InputFileError(`${path}:${lineNo}: not valid JSON (${oneLine(e)}); each line must be one JSON object`);
    }
    try {
      each(value);
    } catch (e) {
      if (e instanceof EntryError) throw new InputFileError(`${path}:${lineNo}: ${oneLine(e)}`);
      throw e;
    }
    entries++;
  }
  if (entries === 0) throw new InputFileError(`${path}: no entries (the file is empty or blank); give one JSON object a line`);
}

/** Whether `path` is a directory; a one-line error when it does not exist. */
function statPath(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === "ENOENT") throw new InputFileError(`${path}: no such file or directory; --input-file must name a JSONL file`);
    throw new InputFileError(`${path}: cannot read (${oneLine(e)})`);
  }
}

/** The regular files of a random_pool directory, sorted by name. */
function poolFiles(dir: string): string[] {
  const files = readdirSync(dir)
    .sort()
    .map((name) => join(dir, name))
    .filter((p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    });
  if (files.length === 0) throw new InputFileError(`${dir}: the directory holds no files; random_pool needs one JSONL file per pool`);
  return files;
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, " ");
}
