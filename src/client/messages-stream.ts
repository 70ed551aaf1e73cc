// Anthropic Messages API (POST /v1/messages) answers. Streaming: SSE events whose JSON "type" names
// them (as the `event:` line does):
// - message_start {message: {usage: {input_tokens, output_tokens}}}: usage so far;
// - content_block_start {content_block}: a block opens (its text, if any, counts);
// - content_block_delta {delta: {type: text_delta, text} | {type: thinking_delta, thinking}}:
//   output text / thinking (reasoning); signature and tool-input deltas carry no text;
// - message_delta {delta: {stop_reason}, usage: {output_tokens}}: the final (cumulative) usage;
// - message_stop: the end of the stream; ping: nothing; error {error: {type, message}}: failed.
// Usage arrives in two events, so the reader keeps what came so far and hands back the merge.
// Non-streaming: {type: "message", content: [{type: text, text} | {type: thinking, thinking}], usage}.
import { errorOf, isObj, jsonObject, malformed, NO_DELTA, num, type ChunkInfo, type Usage } from "./openai-chunk.ts";
import type { BodyInfo, ResponseReader } from "./response-reader-types.ts";
import type { SseEvent } from "./sse-parser.ts";

const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** Anthropic usage into ours; fields it does not send stay as `prev` had them. */
function mergeUsage(prev: Usage | null, u: unknown): Usage | null {
  if (!isObj(u)) return prev;
  const input = num(u.input_tokens);
  const output = num(u.output_tokens);
  return {
    prompt_tokens: input ?? prev?.prompt_tokens ?? null,
    completion_tokens: output ?? prev?.completion_tokens ?? null,
    total_tokens: null,
    reasoning_tokens: null,
  };
}

function blockText(block: unknown): { content: string; reasoning: string } {
  if (!isObj(block)) return { content: "", reasoning: "" };
  if (block.type === "text") return { content: str(block.text), reasoning: "" };
  if (block.type === "thinking") return { content: "", reasoning: str(block.thinking) };
  return { content: "", reasoning: "" };
}

export function messagesReader(): ResponseReader {
  let usage: Usage | null = null;
  return {
    endMarker: "a message_stop event",
    emptyStream: "the stream carried no text or thinking",
    emptyBody: "no text or thinking in content[]",
    event(ev: SseEvent): ChunkInfo {
      const j = jsonObject(ev.data);
      if ("bad" in j) return j.bad;
      const o = j.obj;
      const type = typeof o.type === "string" ? o.type : ev.event;
      switch (type) {
        case "content_block_delta": {
          const d = isObj(o.delta) ? o.delta : {};
          if (d.type === "text_delta") return { ...NO_DELTA, content: str(d.text) };
          if (d.type === "thinking_delta") return { ...NO_DELTA, reasoning: str(d.thinking) };
          return NO_DELTA;
        }
        case "content_block_start":
          return { ...NO_DELTA, ...blockText(o.content_block) };
        case "message_start":
          usage = mergeUsage(usage, isObj(o.message) ? o.message.usage : undefined);
          return { ...NO_DELTA, usage };
        case "message_delta": {
          usage = mergeUsage(usage, o.usage);
          const stop = isObj(o.delta) && typeof o.delta.stop_reason === "string" ? o.delta.stop_reason : null;
          return { ...NO_DELTA, usage, finishReason: stop };
        }
        case "message_stop":
          return { ...NO_DELTA, end: true };
        case "error":
          return errorOf(o) ?? { kind: "error", message: ev.data, code: null, type: null };
        default:
          return NO_DELTA;
      }
    },
    body(raw: string): BodyInfo {
      const j = jsonObject(raw);
      if ("bad" in j) return j.bad;
      const o = j.obj;
      const err = errorOf(o);
      if (err) return err;
      if (!Array.isArray(o.content)) return malformed(raw, "no content[] in the message");
      let content = "";
      let reasoning = "";
      for (const block of o.content) {
        const t = blockText(block);
        content += t.content;
        reasoning += t.reasoning;
      }
      const stop = typeof o.stop_reason === "string" ? o.stop_reason : null;
      return { kind: "delta", content, reasoning, finishReason: stop, usage: mergeUsage(null, o.usage) };
    },
  };
}
