// The mock's OpenAI Responses API wire format (POST /v1/responses): response.created first, then
// response.reasoning_text.delta / response.output_text.delta events, then response.output_text.done
// (the whole text, as OpenAI repeats it) and response.completed with usage.
import { truncateJson } from "./faults.ts";
import type { Usage } from "./openai-json.ts";
import { typedEvent, type WireFormat } from "./wire-format.ts";

export interface ApiIdentity {
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
}

function responsesUsage(u: Usage): Record<string, unknown> {
  return {
    input_tokens: u.prompt_tokens,
    output_tokens: u.completion_tokens,
    total_tokens: u.total_tokens,
    output_tokens_details: { reasoning_tokens: u.completion_tokens_details?.reasoning_tokens ?? 0 },
  };
}

export function responsesFormat(r: ApiIdentity, reasoningOn: boolean): WireFormat {
  let seq = 0;
  let content = "";
  let reasoning = "";
  const msgIndex = reasoningOn ? 1 : 0;
  const envelope = (status: string, output: unknown[], usage: Usage | null): Record<string, unknown> => ({
    id: r.id,
    object: "response",
    created_at: r.created,
    status,
    model: r.model,
    output,
    usage: usage === null ? null : responsesUsage(usage),
  });
  const output = (reasoningText: string | null, text: string): unknown[] => [
    ...(reasoningText === null ? [] : [{ type: "reasoning", id: `rs_${r.id}`, summary: [], content: [{ type: "reasoning_text", text: reasoningText }] }]),
    { type: "message", id: `msg_${r.id}`, status: "completed", role: "assistant", content: [{ type: "output_text", text, annotations: [] }] },
  ];
  const ev = (type: string, fields: Record<string, unknown>): string => typedEvent(type, JSON.stringify({ type, sequence_number: seq++, ...fields }));
  return {
    start: () => ev("response.created", { response: envelope("in_progress", [], null) }),
    chunk(channel, text, _index, _finish, broken) {
      const reasoningChunk = channel === "reasoning";
      if (reasoningChunk) reasoning += text;
      else content += text;
      const type = reasoningChunk ? "response.reasoning_text.delta" : "response.output_text.delta";
      const json = JSON.stringify({
        type,
        sequence_number: seq++,
        item_id: reasoningChunk ? `rs_${r.id}` : `msg_${r.id}`,
        output_index: reasoningChunk ? 0 : msgIndex,
        content_index: 0,
        delta: text,
      });
      return typedEvent(type, broken ? truncateJson(json) : json);
    },
    end: (usage) => [
      ev("response.output_text.done", { item_id: `msg_${r.id}`, output_index: msgIndex, content_index: 0, text: content }),
      ev("response.completed", { response: envelope("completed", output(reasoningOn ? reasoning : null, content), usage) }),
    ],
    body: (reasoningText, text, _finish, usage) => JSON.stringify(envelope("completed", output(reasoningText, text), usage)),
  };
}
