// Hugging Face TGI answers: POST /generate ({generated_text, details?}, or a one-element list of it)
// and POST /generate_stream (SSE `data: {token: {text, special}, generated_text, details}`, one
// token per event; the last event carries generated_text (the whole text) and details, and ends the
// stream: TGI sends no [DONE]). Text comes from token.text only (generated_text would repeat it);
// special tokens (EOS) are not text. Errors: {error, error_type}, also mid-stream.
// Usage: details.generated_tokens is the server's output count; TGI reports no prompt count here.
import { isObj, jsonObject, malformed, num, type ChunkInfo, type Obj, type Usage } from "./openai-chunk.ts";
import type { BodyInfo, ResponseReader } from "./response-reader-types.ts";
import type { SseEvent } from "./sse-parser.ts";

function tgiError(o: Obj): ChunkInfo | null {
  if (o.error === undefined || o.error === null) return null;
  const message = typeof o.error === "string" ? o.error : JSON.stringify(o.error);
  return { kind: "error", message, code: null, type: typeof o.error_type === "string" ? o.error_type : null };
}

function usageOf(details: unknown): Usage | null {
  if (!isObj(details)) return null;
  const generated = num(details.generated_tokens);
  return generated === null ? null : { prompt_tokens: null, completion_tokens: generated, total_tokens: null, reasoning_tokens: null };
}

const finishOf = (details: unknown): string | null => (isObj(details) && typeof details.finish_reason === "string" ? details.finish_reason : null);

export function tgiReader(): ResponseReader {
  return {
    endMarker: "a final event with generated_text",
    emptyStream: "the stream carried no token text",
    emptyBody: "no generated_text",
    event(ev: SseEvent): ChunkInfo {
      const j = jsonObject(ev.data);
      if ("bad" in j) return j.bad;
      const o = j.obj;
      const err = tgiError(o);
      if (err) return err;
      const token = o.token;
      if (!isObj(token)) return malformed(ev.data, "no token object");
      const text = token.special === true || typeof token.text !== "string" ? "" : token.text;
      const last = typeof o.generated_text === "string";
      return { kind: "delta", content: text, reasoning: "", finishReason: finishOf(o.details), usage: usageOf(o.details), end: last };
    },
    body(raw: string): BodyInfo {
      const j = jsonObject(raw.trimStart().startsWith("[") ? unwrapList(raw) : raw);
      if ("bad" in j) return j.bad;
      const o = j.obj;
      const err = tgiError(o);
      if (err) return err;
      if (typeof o.generated_text !== "string") return malformed(raw, "no generated_text");
      return { kind: "delta", content: o.generated_text, reasoning: "", finishReason: finishOf(o.details), usage: usageOf(o.details) };
    },
  };
}

/** TGI may answer [{generated_text, ...}]: its first element, as JSON text (else the input, to fail). */
function unwrapList(raw: string): string {
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) && v.length > 0 ? JSON.stringify(v[0]) : raw;
  } catch {
    return raw;
  }
}
