// The mock's Anthropic Messages API wire format (POST /v1/messages): message_start (input usage),
// a thinking block (when reasoning is on) and a text block, each content_block_start, deltas,
// content_block_stop; then message_delta (stop_reason, output usage) and message_stop.
import { truncateJson } from "./faults.ts";
import type { FinishReason } from "./output-plan.ts";
import type { ApiIdentity } from "./responses-json.ts";
import { typedEvent, type Channel, type WireFormat } from "./wire-format.ts";

const stopReason = (f: FinishReason): string => (f === "length" ? "max_tokens" : "end_turn");

function ev(type: string, fields: Record<string, unknown>): string {
  return typedEvent(type, JSON.stringify({ type, ...fields }));
}

export function anthropicFormat(r: ApiIdentity, promptTokens: number): WireFormat {
  let block = -1;
  let open: Channel | null = null;
  let finish: FinishReason = "stop";
  const message = (content: unknown[], stop: string | null, usage: Record<string, unknown>): Record<string, unknown> => ({
    id: r.id,
    type: "message",
    role: "assistant",
    model: r.model,
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage,
  });
  const close = (): string => (open === null ? "" : ev("content_block_stop", { index: block }));
  return {
    start: () => ev("message_start", { message: message([], null, { input_tokens: promptTokens, output_tokens: 1 }) }),
    chunk(channel, text, _index, last, broken) {
      if (last !== null) finish = last;
      let head = "";
      if (open !== channel) {
        head = close();
        block++;
        open = channel;
        head += ev("content_block_start", {
          index: block,
          content_block: channel === "reasoning" ? { type: "thinking", thinking: "" } : { type: "text", text: "" },
        });
      }
      const delta = channel === "reasoning" ? { type: "thinking_delta", thinking: text } : { type: "text_delta", text };
      const json = JSON.stringify({ type: "content_block_delta", index: block, delta });
      return head + typedEvent("content_block_delta", broken ? truncateJson(json) : json);
    },
    end: (usage) => [
      close() +
        ev("message_delta", {
          delta: { stop_reason: stopReason(finish), stop_sequence: null },
          usage: { output_tokens: usage.completion_tokens },
        }),
      ev("message_stop", {}),
    ],
    body(reasoning, text, bodyFinish, usage) {
      const content = [...(reasoning === null ? [] : [{ type: "thinking", thinking: reasoning, signature: "mock" }]), { type: "text", text }];
      return JSON.stringify(message(content, stopReason(bodyFinish), { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens }));
    },
  };
}
