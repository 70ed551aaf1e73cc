// Stand-in for a custom (non-OpenAI) generation API of the kind --endpoint-type template is for:
// POST {prompt, max_new_tokens, stream}; streaming answers are SSE `data: {"output": {"text": ...}}`
// events and the server closes the stream when done (no end event); errors are {"error": {...}}.
import type { Frame, Script } from "./scripted-server.ts";

export interface CustomPlan {
  script: Script;
  deltaFrames: number[];
}

export function customStream(pieces: string[], gapMs: number, failAfter?: number): CustomPlan {
  const frames: Frame[] = [{ afterMs: 0, text: `data: ${JSON.stringify({ status: "started" })}\n\n` }];
  const deltaFrames: number[] = [];
  pieces.forEach((text, i) => {
    if (failAfter !== undefined && i >= failAfter) return;
    deltaFrames.push(frames.length);
    frames.push({ afterMs: gapMs, text: `data: ${JSON.stringify({ output: { text } })}\n\n` });
  });
  if (failAfter !== undefined) frames.push({ afterMs: gapMs, text: `data: ${JSON.stringify({ error: { message: "worker crashed", type: "internal" } })}\n\n` });
  return { script: { contentType: "text/event-stream", frames }, deltaFrames };
}

export function customBody(text: string): Script {
  return { contentType: "application/json", frames: [{ afterMs: 20, text: JSON.stringify({ output: { text }, took_ms: 20 }) }] };
}
