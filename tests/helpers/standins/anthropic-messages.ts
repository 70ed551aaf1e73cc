// Stand-in for Anthropic's Messages API (POST /v1/messages), written from Anthropic's published
// streaming reference (not from the mock): message_start with input usage, a thinking block (with
// its signature_delta) then a text block, a ping between, message_delta with the final output
// usage, message_stop; or an `error` event (overloaded_error) in the middle.
import type { Frame, Script } from "./scripted-server.ts";

export interface MessagesScript {
  thinking: string[];
  text: string[];
  gapMs: number;
  usage: { input_tokens: number; output_tokens: number };
  /** Send an overloaded_error event after this many text deltas instead of the end. */
  failAfter?: number;
}

export interface MessagesPlan {
  script: Script;
  deltaFrames: number[];
  endFrame: number;
}

export function messagesStream(s: MessagesScript): MessagesPlan {
  const frames: Frame[] = [];
  const deltaFrames: number[] = [];
  const ev = (type: string, fields: Record<string, unknown>, afterMs = 0): void => {
    frames.push({ afterMs, text: `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n` });
  };
  ev("message_start", {
    message: {
      id: "msg_standin",
      type: "message",
      role: "assistant",
      content: [],
      model: "standin-model",
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: s.usage.input_tokens, output_tokens: 1 },
    },
  });
  let index = 0;
  if (s.thinking.length > 0) {
    ev("content_block_start", { index, content_block: { type: "thinking", thinking: "" } });
    ev("ping", {});
    for (const t of s.thinking) {
      deltaFrames.push(frames.length);
      ev("content_block_delta", { index, delta: { type: "thinking_delta", thinking: t } }, s.gapMs);
    }
    ev("content_block_delta", { index, delta: { type: "signature_delta", signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds" } });
    ev("content_block_stop", { index });
    index++;
  }
  ev("content_block_start", { index, content_block: { type: "text", text: "" } });
  let n = 0;
  for (const t of s.text) {
    if (s.failAfter !== undefined && n === s.failAfter) break;
    deltaFrames.push(frames.length);
    ev("content_block_delta", { index, delta: { type: "text_delta", text: t } }, s.gapMs);
    n++;
  }
  if (s.failAfter !== undefined) {
    ev("error", { error: { type: "overloaded_error", message: "Overloaded" } }, s.gapMs);
    return { script: { contentType: "text/event-stream", frames }, deltaFrames, endFrame: frames.length - 1 };
  }
  ev("content_block_stop", { index });
  ev("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: s.usage.output_tokens } }, s.gapMs);
  ev("message_stop", {});
  return { script: { contentType: "text/event-stream", frames }, deltaFrames, endFrame: frames.length - 1 };
}

export function messagesBody(thinking: string, text: string, usage: MessagesScript["usage"]): Script {
  const body = {
    id: "msg_standin",
    type: "message",
    role: "assistant",
    model: "standin-model",
    content: [
      { type: "thinking", thinking, signature: "EqQBCgIYAhIM" },
      { type: "text", text },
    ],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: usage.input_tokens, output_tokens: usage.output_tokens },
  };
  return { contentType: "application/json", frames: [{ afterMs: 30, text: JSON.stringify(body) }] };
}
