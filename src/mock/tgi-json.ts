// The mock's Hugging Face TGI wire format: /generate_stream sends one `data:` event per chunk with
// {index, token: {id, text, logprob, special}, generated_text: null, details: null}; the last one
// carries generated_text (the whole text) and details, and there is no [DONE]. /generate answers
// {generated_text, details}.
import { truncateJson } from "./faults.ts";
import { sseEvent, type Usage } from "./openai-json.ts";
import type { FinishReason } from "./output-plan.ts";
import type { WireFormat } from "./wire-format.ts";

const finishName = (f: FinishReason): string => (f === "length" ? "length" : "eos_token");

export function tgiFormat(outputTokens: number): WireFormat {
  let text = "";
  return {
    start: () => "",
    chunk(_channel, piece, index, finish, broken) {
      text += piece;
      const last = finish !== null;
      const json = JSON.stringify({
        index: index + 1,
        token: { id: index, text: piece, logprob: -0.1, special: false },
        generated_text: last ? text : null,
        details: last ? { finish_reason: finishName(finish), generated_tokens: outputTokens, seed: null } : null,
        top_tokens: null,
      });
      return sseEvent(broken ? truncateJson(json) : json);
    },
    end: () => [],
    body: (_reasoning, content, finish, usage: Usage) =>
      JSON.stringify({ generated_text: content, details: { finish_reason: finishName(finish), generated_tokens: usage.completion_tokens, seed: null } }),
  };
}
