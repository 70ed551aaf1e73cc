// Stand-in for the OpenAI Responses API (POST /v1/responses), written from OpenAI's published
// streaming event reference (not from the mock): typed events with `event:` lines and a
// sequence_number, reasoning before the message, output_text.done repeating the text, usage only in
// response.completed.
import type { Frame, Script } from "./scripted-server.ts";

export interface ResponsesScript {
  reasoning: string[];
  content: string[];
  gapMs: number;
  usage: { input_tokens: number; output_tokens: number; reasoning_tokens: number };
  /** Replace the end with a failure after this many content deltas: "error" event or response.failed. */
  failAfter?: { deltas: number; how: "error" | "response.failed" };
}

/** Index into frames of each text-bearing delta, in order (what the client should count as chunks). */
export interface ResponsesPlan {
  script: Script;
  deltaFrames: number[];
  endFrame: number;
}

export function responsesStream(s: ResponsesScript): ResponsesPlan {
  let seq = 0;
  const frames: Frame[] = [];
  const deltaFrames: number[] = [];
  const ev = (type: string, fields: Record<string, unknown>, afterMs = 0): void => {
    frames.push({ afterMs, text: `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...fields })}\n\n` });
  };
  const resp = (status: string, extra: Record<string, unknown> = {}) => ({
    id: "resp_standin",
    object: "response",
    created_at: 1_700_000_000,
    status,
    model: "standin-model",
    output: [],
    usage: null,
    ...extra,
  });
  ev("response.created", { response: resp("in_progress") });
  ev("response.in_progress", { response: resp("in_progress") });
  let out = 0;
  if (s.reasoning.length > 0) {
    ev("response.output_item.added", { output_index: out, item: { id: "rs_1", type: "reasoning", summary: [] } });
    for (const r of s.reasoning) {
      deltaFrames.push(frames.length);
      ev("response.reasoning_text.delta", { item_id: "rs_1", output_index: out, content_index: 0, delta: r }, s.gapMs);
    }
    ev("response.output_item.done", { output_index: out, item: { id: "rs_1", type: "reasoning", summary: [] } });
    out++;
  }
  ev("response.output_item.added", { output_index: out, item: { id: "msg_1", type: "message", status: "in_progress", role: "assistant", content: [] } });
  ev("response.content_part.added", { item_id: "msg_1", output_index: out, content_index: 0, part: { type: "output_text", text: "", annotations: [] } });
  let n = 0;
  for (const c of s.content) {
    if (s.failAfter !== undefined && n === s.failAfter.deltas) break;
    deltaFrames.push(frames.length);
    ev("response.output_text.delta", { item_id: "msg_1", output_index: out, content_index: 0, delta: c, logprobs: [] }, s.gapMs);
    n++;
  }
  if (s.failAfter !== undefined) {
    if (s.failAfter.how === "error")
      ev("error", { code: "server_error", message: "The server had an error while processing your request", param: null }, s.gapMs);
    else ev("response.failed", { response: resp("failed", { error: { code: "server_error", message: "The model failed to generate a response" } }) }, s.gapMs);
    return { script: { contentType: "text/event-stream", frames }, deltaFrames, endFrame: frames.length - 1 };
  }
  const text = s.content.join("");
  ev("response.output_text.done", { item_id: "msg_1", output_index: out, content_index: 0, text, logprobs: [] });
  ev("response.content_part.done", { item_id: "msg_1", output_index: out, content_index: 0, part: { type: "output_text", text, annotations: [] } });
  const usage = {
    input_tokens: s.usage.input_tokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: s.usage.output_tokens,
    output_tokens_details: { reasoning_tokens: s.usage.reasoning_tokens },
    total_tokens: s.usage.input_tokens + s.usage.output_tokens,
  };
  ev("response.completed", { response: resp("completed", { usage }) }, s.gapMs);
  return { script: { contentType: "text/event-stream", frames }, deltaFrames, endFrame: frames.length - 1 };
}

/** A non-streaming Responses body (object "response"). */
export function responsesBody(reasoning: string, content: string, usage: ResponsesScript["usage"]): Script {
  const body = {
    id: "resp_standin",
    object: "response",
    created_at: 1_700_000_000,
    status: "completed",
    error: null,
    model: "standin-model",
    output: [
      { id: "rs_1", type: "reasoning", summary: [{ type: "summary_text", text: reasoning }] },
      { id: "msg_1", type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", text: content, annotations: [] }] },
    ],
    usage: {
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      output_tokens_details: { reasoning_tokens: usage.reasoning_tokens },
      total_tokens: usage.input_tokens + usage.output_tokens,
    },
  };
  return { contentType: "application/json", frames: [{ afterMs: 30, text: JSON.stringify(body) }] };
}
