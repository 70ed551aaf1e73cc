// Interprets the payloads of OpenAI-compatible endpoints: one SSE `data` payload of a streaming response
// (interpretChunk), or a whole non-streaming body (interpretFullResponse). Never throws: anything that is
// not JSON, or JSON of an unexpected shape, comes back as kind "malformed" with the reason.
//
// Accepted variants:
// - chat: text in choices[0].delta.content (streaming) / choices[0].message.content (full body);
//   reasoning in .reasoning_content (DeepSeek, SGLang, older vLLM) or .reasoning (newer vLLM); the first
//   non-empty of the two wins, they are never concatenated (some servers send both with the same text).
// - completions: text in choices[0].text.
// - null or absent content/text/reasoning is "".
// - `choices: []` (usage-only chunks, Azure's prompt-filter chunk) is an empty delta; a chunk without
//   `choices` is accepted only when it carries `usage`.
// - errors: {"error": {...}} (OpenAI, newer vLLM, SGLang), {"error": "text"}, and vLLM's older
//   {"object": "error", "message": ..., "type": ..., "code": ...}.

export interface Usage {
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
  /** usage.completion_tokens_details.reasoning_tokens (or a top-level usage.reasoning_tokens). */
  reasoning_tokens: number | null;
}

export type ChunkInfo =
  /** `data: [DONE]` */
  | { kind: "done" }
  /** `end`: this event also ends the stream (APIs without [DONE]: Responses, Messages, TGI). */
  | { kind: "delta"; content: string; reasoning: string; finishReason: string | null; usage: Usage | null; end?: boolean }
  /**
   * An error payload. `code` is the numeric code (a numeric string is converted), null if absent or not a
   * number; `type` is error.type, or a non-numeric string code (e.g. "rate_limit_exceeded") when type is absent.
   */
  | { kind: "error"; message: string; code: number | null; type: string | null }
  /** Not JSON, or JSON of an unexpected shape. `raw` is the whole input (callers truncate it for display). */
  | { kind: "malformed"; raw: string; reason: string };

export type DeltaInfo = Extract<ChunkInfo, { kind: "delta" }>;

/** A delta with nothing in it (structural events of typed streams). */
export const NO_DELTA: Readonly<DeltaInfo> = { kind: "delta", content: "", reasoning: "", finishReason: null, usage: null };

export type Endpoint = "chat" | "completions";

/** Interprets one SSE `data` payload of a streaming chat/completions response. */
export function interpretChunk(data: string, endpoint: Endpoint): ChunkInfo {
  if (data.length <= 16 && data.trim() === "[DONE]") return { kind: "done" };
  return interpretJson(data, endpoint, "delta");
}

/** Interprets a whole non-streaming response body, returning the same shapes as interpretChunk (never "done"). */
export function interpretFullResponse(body: string, endpoint: Endpoint): ChunkInfo {
  return interpretJson(body, endpoint, "message");
}

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function malformed(raw: string, reason: string): ChunkInfo {
  return { kind: "malformed", raw, reason };
}

/** `raw` parsed as a JSON object, or the malformed ChunkInfo saying why it is not one. */
export function jsonObject(raw: string): { obj: Obj } | { bad: ChunkInfo } {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { bad: malformed(raw, "invalid JSON") };
  }
  return isObj(v) ? { obj: v } : { bad: malformed(raw, "not a JSON object") };
}

function interpretJson(raw: string, endpoint: Endpoint, mode: "delta" | "message"): ChunkInfo {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return malformed(raw, "invalid JSON");
  }
  if (!isObj(parsed)) return malformed(raw, "not a JSON object");
  const err = errorOf(parsed);
  if (err) return err;

  let usage: Usage | null = null;
  if (parsed.usage !== undefined && parsed.usage !== null) {
    if (!isObj(parsed.usage)) return malformed(raw, "usage is not an object");
    usage = usageOf(parsed.usage);
  }

  const choices = parsed.choices;
  if (choices === undefined || choices === null) {
    if (usage) return { kind: "delta", content: "", reasoning: "", finishReason: null, usage };
    return malformed(raw, "no choices and no usage");
  }
  if (!Array.isArray(choices)) return malformed(raw, "choices is not an array");
  const choice: unknown = choices[0];
  if (choice === undefined) return { kind: "delta", content: "", reasoning: "", finishReason: null, usage };
  if (!isObj(choice)) return malformed(raw, "choices[0] is not an object");

  const fr = choice.finish_reason;
  const finishReason = typeof fr === "string" ? fr : null;

  if (endpoint === "completions") {
    const text = choice.text;
    if (text !== undefined && text !== null && typeof text !== "string") {
      return malformed(raw, "choices[0].text is not a string");
    }
    return { kind: "delta", content: text ?? "", reasoning: "", finishReason, usage };
  }

  const key = mode === "delta" ? "delta" : "message";
  const msg = choice[key];
  if (msg === undefined || msg === null) {
    // Final chunks of some servers carry only finish_reason; a full body without a message is broken.
    if (mode === "message") return malformed(raw, "choices[0].message is missing");
    return { kind: "delta", content: "", reasoning: "", finishReason, usage };
  }
  if (!isObj(msg)) return malformed(raw, `choices[0].${key} is not an object`);
  const content = msg.content;
  if (content !== undefined && content !== null && typeof content !== "string") {
    return malformed(raw, `choices[0].${key}.content is not a string`);
  }
  const rc = msg.reasoning_content;
  const r = msg.reasoning;
  if ((rc !== undefined && rc !== null && typeof rc !== "string") || (r !== undefined && r !== null && typeof r !== "string")) {
    return malformed(raw, `choices[0].${key} reasoning is not a string`);
  }
  const reasoning = (rc as string | null | undefined) || (r as string | null | undefined) || "";
  return { kind: "delta", content: content ?? "", reasoning, finishReason, usage };
}

/** The error an OpenAI-style (or vLLM-style) error object carries, or null when it is none. */
export function errorOf(o: Obj): ChunkInfo | null {
  const e = o.error;
  if (e !== undefined && e !== null) {
    if (typeof e === "string") return { kind: "error", message: e, code: codeOf(o.code), type: typeOf(o.type, o.code) };
    if (isObj(e)) {
      return { kind: "error", message: messageOf(e.message, e), code: codeOf(e.code), type: typeOf(e.type, e.code) };
    }
    return { kind: "error", message: JSON.stringify(e), code: null, type: null };
  }
  if (o.object === "error") {
    return { kind: "error", message: messageOf(o.message, o), code: codeOf(o.code), type: typeOf(o.type, o.code) };
  }
  return null;
}

function messageOf(m: unknown, whole: Obj): string {
  if (typeof m === "string") return m;
  if (m !== undefined && m !== null) return JSON.stringify(m);
  return JSON.stringify(whole);
}

function codeOf(c: unknown): number | null {
  if (typeof c === "number") return Number.isFinite(c) ? c : null;
  if (typeof c === "string" && c.trim() !== "") {
    const n = Number(c);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function typeOf(t: unknown, code: unknown): string | null {
  if (typeof t === "string") return t;
  if (typeof code === "string" && code !== "" && codeOf(code) === null) return code;
  return null;
}

export function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function usageOf(u: Obj): Usage {
  const details = u.completion_tokens_details;
  const fromDetails = isObj(details) ? num(details.reasoning_tokens) : null;
  return {
    prompt_tokens: num(u.prompt_tokens),
    completion_tokens: num(u.completion_tokens),
    total_tokens: num(u.total_tokens),
    reasoning_tokens: fromDetails ?? num(u.reasoning_tokens),
  };
}
