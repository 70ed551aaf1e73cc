// OpenAI-shaped JSON bodies, built as strings: streaming chunks share a per-request prefix so
// each chunk costs one JSON.stringify of its text, not a whole object graph.
import type { Endpoint } from "./request-parse.ts";
import type { FinishReason } from "./output-plan.ts";

export interface ResponseIdentity {
  endpoint: Endpoint;
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  completion_tokens_details?: { reasoning_tokens: number };
}

export const SSE_DONE = "data: [DONE]\n\n";
/** Comment event sent first so Bun flushes the response headers before the first token. */
export const SSE_OPEN_COMMENT = ": llmbench-mock\n\n";

export function sseEvent(json: string): string {
  return `data: ${json}\n\n`;
}

export function usageOf(prompt: number, completion: number, reasoning: number | null): Usage {
  const u: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  if (reasoning !== null) u.completion_tokens_details = { reasoning_tokens: reasoning };
  return u;
}

/** Everything in a streaming chunk before the choice's own fields. */
export function chunkPrefix(r: ResponseIdentity): string {
  const object = r.endpoint === "chat" ? "chat.completion.chunk" : "text_completion";
  return `{"id":${JSON.stringify(r.id)},"object":"${object}","created":${r.created},` + `"model":${JSON.stringify(r.model)},"choices":[{"index":0,`;
}

const finishJson = (f: FinishReason | null): string => (f === null ? "null" : `"${f}"`);

/** Chat chunk; the first one also carries the assistant role, as OpenAI's first delta does. */
export function chatChunkJson(prefix: string, channel: "reasoning" | "content", text: string, first: boolean, finish: FinishReason | null): string {
  const field = channel === "reasoning" ? "reasoning_content" : "content";
  const role = first ? `"role":"assistant",` : "";
  return `${prefix}"delta":{${role}"${field}":${JSON.stringify(text)}},"logprobs":null,"finish_reason":${finishJson(finish)}}]}`;
}

export function completionChunkJson(prefix: string, text: string, finish: FinishReason | null): string {
  return `${prefix}"text":${JSON.stringify(text)},"logprobs":null,"finish_reason":${finishJson(finish)}}]}`;
}

/** Final stream_options.include_usage chunk: no choices, only usage. */
export function usageChunkJson(r: ResponseIdentity, usage: Usage): string {
  const object = r.endpoint === "chat" ? "chat.completion.chunk" : "text_completion";
  return JSON.stringify({ id: r.id, object, created: r.created, model: r.model, choices: [], usage });
}

export function completionBodyJson(r: ResponseIdentity, reasoningText: string | null, contentText: string, finish: FinishReason, usage: Usage): string {
  if (r.endpoint === "chat") {
    const message: Record<string, unknown> = { role: "assistant", content: contentText };
    if (reasoningText !== null) message.reasoning_content = reasoningText;
    return JSON.stringify({
      id: r.id,
      object: "chat.completion",
      created: r.created,
      model: r.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
      usage,
    });
  }
  return JSON.stringify({
    id: r.id,
    object: "text_completion",
    created: r.created,
    model: r.model,
    choices: [{ index: 0, text: contentText, logprobs: null, finish_reason: finish }],
    usage,
  });
}

export function errorJson(message: string, type: string, code: string | number | null, param: string | null = null): string {
  return JSON.stringify({ error: { message, type, param, code } });
}
