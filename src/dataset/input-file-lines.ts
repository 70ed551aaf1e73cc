// One --input-file entry (a parsed JSON line) checked the way AIPerf's pydantic models check it
// (aiperf/dataset/loader/models.py), into plain records. Pure: the loader (input-file.ts) adds the
// file and line to the message of an EntryError.
//
// As in AIPerf (AIPerfBaseModel has extra="allow"), keys a model does not know are accepted and
// ignored. Checks that AIPerf makes on truthiness are kept so: "text" and "texts" conflict only when
// both are non-empty, "timestamp" and "delay" only when both are non-zero. Stricter than AIPerf:
// integers must be JSON integers >= 0 (pydantic would also take "12" or true), and images or audio
// are rejected (llmbench sends text only).

/** What is wrong with an entry, without its location. */
export class EntryError extends Error {}

export interface TextTurnEntry {
  /** The turn's prompt: "text", or the "texts" joined with "\n". */
  text: string;
  timestampMs: number | null;
  delayMs: number | null;
}

export interface MultiTurnEntry {
  sessionId: string | null;
  turns: TextTurnEntry[];
}

export interface MooncakeEntry {
  inputLength: number | null;
  textInput: string | null;
  outputLength: number | null;
  hashIds: number[] | null;
  timestampMs: number | null;
  delayMs: number | null;
  sessionId: string | null;
}

type Obj = Record<string, unknown>;

const MEDIA_KEYS = ["image", "images", "audio", "audios"] as const;

/** A single_turn line (also each of a multi_turn line's turns, with `at` = "turns[i]."). */
export function parseSingleTurn(v: unknown, at = ""): TextTurnEntry {
  const o = object(v, at);
  literalType(o, at, "single_turn");
  const text = promptText(o, at);
  const timestampMs = optInt(o, "timestamp", at, "milliseconds");
  const delayMs = optInt(o, "delay", at, "milliseconds");
  optStr(o, "role", at);
  // AIPerf: `if self.timestamp and self.delay` (so 0 with anything is allowed).
  if (timestampMs && delayMs) throw new EntryError(`${q(at, "timestamp")} and ${q(at, "delay")} cannot both be set; give one`);
  return { text, timestampMs, delayMs };
}

/** A multi_turn line: an optional session_id and a non-empty list of turns. */
export function parseMultiTurn(v: unknown): MultiTurnEntry {
  const o = object(v, "");
  literalType(o, "", "multi_turn");
  const sessionId = optStr(o, "session_id", "");
  const turns = o.turns;
  if (!Array.isArray(turns)) throw new EntryError(`"turns" must be a list of turn objects (each with "text" or "texts"), got ${show(turns)}`);
  if (turns.length === 0) throw new EntryError(`"turns" is empty; give at least one turn`);
  return { sessionId, turns: turns.map((t, i) => parseSingleTurn(t, `turns[${i}].`)) };
}

/** A random_pool line: its prompt text. */
export function parseRandomPool(v: unknown): string {
  const o = object(v, "");
  literalType(o, "", "random_pool");
  return promptText(o, "");
}

/** A mooncake_trace line. The block layout (input_length vs hash_ids) is checked by the loader, which knows the block size. */
export function parseMooncake(v: unknown): MooncakeEntry {
  const o = object(v, "");
  literalType(o, "", "mooncake_trace");
  const inputLength = optInt(o, "input_length", "", "tokens");
  const textInput = optStr(o, "text_input", "");
  const outputLength = optInt(o, "output_length", "", "tokens");
  const timestampMs = optInt(o, "timestamp", "", "milliseconds");
  const delayMs = optInt(o, "delay", "", "milliseconds");
  const sessionId = optStr(o, "session_id", "");
  let hashIds: number[] | null = null;
  const h = o.hash_ids;
  if (h !== undefined && h !== null) {
    if (!Array.isArray(h)) throw new EntryError(`"hash_ids" must be a list of non-negative integers, got ${show(h)}`);
    for (let i = 0; i < h.length; i++) {
      const id: unknown = h[i];
      if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0) {
        throw new EntryError(`"hash_ids[${i}]" must be a non-negative integer, got ${show(id)}`);
      }
    }
    hashIds = h as number[];
  }
  if (inputLength === null && textInput === null)
    throw new EntryError(`needs "input_length" (tokens, optionally with "hash_ids") or "text_input" (the prompt text)`);
  if (inputLength === null && hashIds !== null) throw new EntryError(`"hash_ids" needs "input_length" (the prompt's total tokens)`);
  return { inputLength, textInput, outputLength, hashIds, timestampMs, delayMs, sessionId };
}

/** The prompt of a text entry: "text", or "texts" (strings, or {name, contents} objects) joined with "\n". */
function promptText(o: Obj, at: string): string {
  for (const k of MEDIA_KEYS) {
    if (truthy(o[k])) throw new EntryError(`${q(at, k)} is not supported by llmbench (text only); give "text" or "texts"`);
  }
  const text = optStr(o, "text", at);
  const texts = textList(o.texts, at);
  if (text && texts) throw new EntryError(`${q(at, "text")} and ${q(at, "texts")} cannot both be set; give one`);
  if (text) return text;
  if (!texts) {
    throw new EntryError(`no text: give ${q(at, "text")} (a non-empty string) or ${q(at, "texts")} (a list of strings or of {"name", "contents"} objects)`);
  }
  // AIPerf sends several texts as a batch (client-side batching); llmbench sends one prompt a turn,
  // so they are joined into one.
  return texts.join("\n");
}

/** "texts": a list of strings or a list of {name, contents: [strings]}; null when absent or empty. */
function textList(v: unknown, at: string): string[] | null {
  if (v === undefined || v === null) return null;
  const bad = (why: string) => new EntryError(`${q(at, "texts")} ${why}; give a list of strings or a list of {"name": string, "contents": [strings]} objects`);
  if (!Array.isArray(v)) throw bad(`must be a list, got ${show(v)}`);
  if (v.length === 0) return null;
  if (v.every((x) => typeof x === "string")) return v as string[];
  if (!v.every((x) => isObject(x))) throw bad("mixes strings and objects or holds other values");
  const out: string[] = [];
  (v as Obj[]).forEach((t, i) => {
    if (t.name !== undefined && typeof t.name !== "string") throw bad(`[${i}].name must be a string, got ${show(t.name)}`);
    const c = t.contents ?? [];
    if (!Array.isArray(c) || !c.every((x) => typeof x === "string")) throw bad(`[${i}].contents must be a list of strings, got ${show(c)}`);
    out.push(...(c as string[]));
  });
  if (out.length === 0) throw bad("holds no text (every contents list is empty)");
  return out;
}

function object(v: unknown, at: string): Obj {
  if (!isObject(v)) throw new EntryError(`${at === "" ? "the line" : at.slice(0, -1)} must be a JSON object, got ${show(v)}`);
  return v;
}

function literalType(o: Obj, at: string, expected: string): void {
  const t = o.type;
  if (t !== undefined && t !== null && t !== expected) {
    throw new EntryError(`${q(at, "type")} is ${show(t)} but this file is read as ${expected}; remove "type" or match --custom-dataset-type`);
  }
}

function optInt(o: Obj, key: string, at: string, unit: string): number | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new EntryError(`${q(at, key)} must be a non-negative integer (${unit}) or null, got ${show(v)}`);
  }
  return v;
}

function optStr(o: Obj, key: string, at: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") throw new EntryError(`${q(at, key)} must be a string or null, got ${show(v)}`);
  return v;
}

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Python truthiness, which AIPerf's validators use. */
function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return Boolean(v);
}

function q(at: string, key: string): string {
  return `"${at}${key}"`;
}

/** A value, short and on one line, for messages. */
function show(v: unknown): string {
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return "a list";
  if (isObject(v)) return "an object";
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
