// OpenAI Responses API (POST /v1/responses) answers. Streaming: typed SSE events, the type in both
// the `event:` line and the JSON's "type" (the JSON's wins):
// - response.output_text.delta {delta}: output text;
// - response.reasoning_text.delta / response.reasoning_summary_text.delta {delta}: reasoning;
// - response.output_text.done {text}: the part's whole text, counted only when no delta carried it
//   (as AIPerf does; a server that streams deltas repeats the text here);
// - response.completed / response.incomplete {response: {usage}}: usage, and the end of the stream;
// - response.failed {response: {error}} and error {code, message}: the request failed;
// - everything else (response.created, *.added, *.done, ...): structure, no text.
// Non-streaming: {object: "response", output: [...], usage}, text in output[].content[] of type
// output_text, reasoning in reasoning items (reasoning_text content, else summary_text).
import { errorOf, isObj, jsonObject, malformed, NO_DELTA, num, type ChunkInfo, type Obj, type Usage } from "./openai-chunk.ts";
import type { BodyInfo, ResponseReader } from "./response-reader-types.ts";
import type { SseEvent } from "./sse-parser.ts";

function usageOf(u: unknown): Usage | null {
  if (!isObj(u)) return null;
  const details = u.output_tokens_details;
  return {
    prompt_tokens: num(u.input_tokens),
    completion_tokens: num(u.output_tokens),
    total_tokens: num(u.total_tokens),
    reasoning_tokens: isObj(details) ? num(details.reasoning_tokens) : null,
  };
}

function failure(o: Obj, fallback: string): ChunkInfo {
  const e = isObj(o.error) ? o.error : o;
  const message = typeof e.message === "string" ? e.message : fallback;
  const code = typeof e.code === "number" ? e.code : null;
  const type = typeof e.code === "string" && e.code !== "" ? e.code : typeof e.type === "string" && e.type !== "error" ? e.type : null;
  return { kind: "error", message, code, type };
}

export function responsesReader(): ResponseReader {
  // Output parts (output_index:content_index) whose text came in deltas.
  const streamed = new Set<string>();
  return {
    endMarker: "a response.completed event",
    emptyStream: "the stream carried no output or reasoning text",
    emptyBody: "no output_text or reasoning in output[]",
    event(ev: SseEvent): ChunkInfo {
      if (ev.data.length <= 16 && ev.data.trim() === "[DONE]") return { kind: "done" };
      const j = jsonObject(ev.data);
      if ("bad" in j) return j.bad;
      const o = j.obj;
      const type = typeof o.type === "string" ? o.type : ev.event;
      const text = (key: string): string => {
        const v = o[key];
        return typeof v === "string" ? v : "";
      };
      switch (type) {
        case "response.output_text.delta": {
          const delta = text("delta");
          if (delta) streamed.add(`${String(o.output_index)}:${String(o.content_index)}`);
          return { ...NO_DELTA, content: delta };
        }
        case "response.reasoning_text.delta":
        case "response.reasoning_summary_text.delta":
          return { ...NO_DELTA, reasoning: text("delta") };
        case "response.output_text.done":
          return streamed.has(`${String(o.output_index)}:${String(o.content_index)}`) ? NO_DELTA : { ...NO_DELTA, content: text("text") };
        case "response.completed":
        case "response.incomplete": {
          const r = isObj(o.response) ? o.response : {};
          const details = isObj(r.incomplete_details) && typeof r.incomplete_details.reason === "string" ? r.incomplete_details.reason : null;
          return { ...NO_DELTA, usage: usageOf(r.usage), finishReason: type === "response.completed" ? "stop" : details, end: true };
        }
        case "response.failed": {
          const r = isObj(o.response) ? o.response : o;
          return failure(r, "response.failed");
        }
        case "error":
          return failure(o, "error event");
        default:
          return NO_DELTA;
      }
    },
    body(raw: string): BodyInfo {
      const j = jsonObject(raw);
      if ("bad" in j) return j.bad;
      const o = j.obj;
      if (o.status === "failed") return failure(o, "response status failed");
      const err = errorOf(o);
      if (err) return err;
      if (!Array.isArray(o.output)) return malformed(raw, "no output[] in the response");
      let content = "";
      let reasoning = "";
      for (const item of o.output) {
        if (!isObj(item)) continue;
        if (item.type === "message" && Array.isArray(item.content)) {
          for (const part of item.content) if (isObj(part) && part.type === "output_text" && typeof part.text === "string") content += part.text;
        } else if (item.type === "reasoning") {
          reasoning += reasoningText(item.content, "reasoning_text") || reasoningText(item.summary, "summary_text");
        }
      }
      return { kind: "delta", content, reasoning, finishReason: null, usage: usageOf(o.usage) };
    },
  };
}

function reasoningText(parts: unknown, type: string): string {
  if (!Array.isArray(parts)) return "";
  let s = "";
  for (const p of parts) if (isObj(p) && p.type === type && typeof p.text === "string") s += p.text;
  return s;
}
