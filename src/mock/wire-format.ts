// What a generation session writes, per API: the session (generation-session.ts) decides when chunks
// go out and applies faults; a WireFormat says what the bytes are. OpenAI chat/completions here,
// the other APIs in their own files (responses-json.ts, anthropic-json.ts, tgi-json.ts).
import { truncateJson } from "./faults.ts";
import {
  chatChunkJson,
  chunkPrefix,
  completionBodyJson,
  completionChunkJson,
  SSE_DONE,
  sseEvent,
  usageChunkJson,
  type ResponseIdentity,
  type Usage,
} from "./openai-json.ts";
import type { FinishReason } from "./output-plan.ts";

export type Channel = "reasoning" | "content";

export interface WireFormat {
  /** SSE text sent when the stream opens (before the first chunk), or "". */
  start(): string;
  /** SSE text of chunk `index`; `finish` is set on the last; `broken`: its JSON cut short (the malformed fault). */
  chunk(channel: Channel, text: string, index: number, finish: FinishReason | null, broken: boolean): string;
  /** SSE events after the last chunk (usage, the end marker), each written and recorded on its own. */
  end(usage: Usage, includeUsage: boolean): string[];
  /** The non-streaming body; `reasoning` is null when reasoning is off. */
  body(reasoning: string | null, content: string, finish: FinishReason, usage: Usage): string;
}

/** SSE event with an `event:` line, as typed streams (Responses, Anthropic) send them. */
export function typedEvent(type: string, json: string): string {
  return `event: ${type}\ndata: ${json}\n\n`;
}

export function openAiFormat(identity: ResponseIdentity): WireFormat {
  const prefix = chunkPrefix(identity);
  return {
    start: () => "",
    chunk(channel, text, index, finish, broken) {
      const json = identity.endpoint === "chat" ? chatChunkJson(prefix, channel, text, index === 0, finish) : completionChunkJson(prefix, text, finish);
      return sseEvent(broken ? truncateJson(json) : json);
    },
    end: (usage, includeUsage) => (includeUsage ? [sseEvent(usageChunkJson(identity, usage)), SSE_DONE] : [SSE_DONE]),
    body: (reasoning, content, finish, usage) => completionBodyJson(identity, reasoning, content, finish, usage),
  };
}
