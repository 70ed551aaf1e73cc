// Answers of --endpoint-type template (a custom API). With response_field, the text is the value at
// that field path of each SSE event's JSON (streaming) or of the body; without it, the text is found
// as AIPerf's auto-detection finds it: OpenAI choices (delta/message content, reasoning, text), a
// TGI token, then the first of text, content, response, output, result, generated_text. Embeddings
// and rankings answers (data[].embedding, embedding(s), rankings, results) are valid without text.
// A payload that is not JSON is text. A stream ends when the server closes it (or at [DONE]).
import { atPath, type PathStep } from "./field-path.ts";
import { errorOf, isObj, NO_DELTA, type ChunkInfo, type Obj } from "./openai-chunk.ts";
import type { BodyInfo, ResponseReader } from "./response-reader-types.ts";
import type { SseEvent } from "./sse-parser.ts";

const TEXT_KEYS = ["text", "content", "response", "output", "result", "generated_text"] as const;
const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** Text and reasoning found in a JSON answer by AIPerf's auto-detection; null when it holds none. */
function autoText(o: Obj): { content: string; reasoning: string } | null {
  const choice = Array.isArray(o.choices) ? o.choices[0] : undefined;
  if (isObj(choice)) {
    const m = isObj(choice.delta) ? choice.delta : isObj(choice.message) ? choice.message : null;
    if (m !== null) return { content: str(m.content), reasoning: str(m.reasoning_content) || str(m.reasoning) };
    if (typeof choice.text === "string") return { content: choice.text, reasoning: "" };
  }
  if (isObj(o.token)) return { content: o.token.special === true ? "" : str(o.token.text), reasoning: "" };
  for (const k of TEXT_KEYS) if (typeof o[k] === "string") return { content: o[k] as string, reasoning: "" };
  return null;
}

function isVectorsOrRankings(o: Obj): boolean {
  if (Array.isArray(o.data) && o.data.some((d) => isObj(d) && Array.isArray(d.embedding))) return true;
  return Array.isArray(o.embeddings) || Array.isArray(o.embedding) || Array.isArray(o.rankings) || Array.isArray(o.results);
}

type Found = { kind: "text"; content: string; reasoning: string } | { kind: "answer" } | { kind: "none" } | { kind: "error"; info: ChunkInfo };

function find(raw: string, field: readonly PathStep[] | null): Found {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { kind: "text", content: raw, reasoning: "" };
  }
  if (field !== null) {
    const at = atPath(v, field);
    if (typeof at === "string") return { kind: "text", content: at, reasoning: "" };
    if (at !== undefined) return { kind: "answer" };
    const err = isObj(v) ? errorOf(v) : null;
    return err ? { kind: "error", info: err } : { kind: "none" };
  }
  if (Array.isArray(v)) return v.length > 0 ? { kind: "answer" } : { kind: "none" };
  if (!isObj(v)) return { kind: "text", content: raw, reasoning: "" };
  const err = errorOf(v);
  if (err) return { kind: "error", info: err };
  const t = autoText(v);
  if (t !== null) return { kind: "text", ...t };
  return isVectorsOrRankings(v) ? { kind: "answer" } : { kind: "none" };
}

export function templateReader(field: readonly PathStep[] | null): ResponseReader {
  const what = field === null ? "no text found in the answer" : "response_field matched nothing";
  return {
    endMarker: "the end of the stream",
    endsAtClose: true,
    emptyStream: `the stream carried no text (${what})`,
    emptyBody: what,
    event(ev: SseEvent): ChunkInfo {
      if (ev.data.length <= 16 && ev.data.trim() === "[DONE]") return { kind: "done" };
      const f = find(ev.data, field);
      if (f.kind === "error") return f.info;
      return f.kind === "text" ? { ...NO_DELTA, content: f.content, reasoning: f.reasoning } : NO_DELTA;
    },
    body(raw: string): BodyInfo {
      const f = find(raw, field);
      if (f.kind === "error") return f.info;
      if (f.kind === "answer") return { kind: "answer" };
      if (f.kind === "none") return { kind: "empty", what };
      return { ...NO_DELTA, content: f.content, reasoning: f.reasoning };
    },
  };
}
