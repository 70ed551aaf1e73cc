// Request bodies per endpoint type, shaped as AIPerf sends them (key order included), so a server
// sees the same payload from either tool. `extra` (--extra-inputs) is merged last and may override.

import { rankingsBody } from "./rankings-body.ts";
import { renderTemplateBody, templateSettings } from "./template-body.ts";
import type { EndpointType } from "./endpoint-types.ts";

export type { EndpointType } from "./endpoint-types.ts";

/** Anthropic's Messages API requires max_tokens; AIPerf sends this when the turn gives none. */
export const MESSAGES_DEFAULT_MAX_TOKENS = 16384;

export interface BodyParams {
  endpointType: EndpointType;
  model: string;
  prompt: string;
  /** Output token limit, or null to send none. */
  maxTokens: number | null;
  /** Chat: send the limit as max_tokens, not max_completion_tokens (--use-legacy-max-tokens). */
  legacyMaxTokens?: boolean;
  streaming: boolean;
  /** Ask the server for a final usage chunk (stream_options.include_usage) when streaming. */
  includeUsage: boolean;
  extra: Record<string, unknown>;
  /** Chat: a system message first (--shared-system-prompt-length); completions: prepended text. */
  systemPrompt?: string | null;
  /** Chat: earlier turns of the session (user prompt, assistant reply) before this prompt. */
  history?: readonly ChatMessage[];
  /** Rankings: how many passages the prompt is split into after the query (default 1). */
  rankingsPassages?: number;
}

export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
}

export function requestBody(p: BodyParams): Record<string, unknown> {
  let body: Record<string, unknown>;
  switch (p.endpointType) {
    case "chat": {
      const messages: Record<string, unknown>[] = [];
      if (p.systemPrompt) messages.push({ role: "system", content: p.systemPrompt });
      for (const m of p.history ?? [])
        messages.push(m.role === "user" ? { role: "user", name: "text", content: m.content } : { role: "assistant", content: m.content });
      messages.push({ role: "user", name: "text", content: p.prompt });
      body = { messages, model: p.model, stream: p.streaming };
      if (p.maxTokens !== null) body[p.legacyMaxTokens ? "max_tokens" : "max_completion_tokens"] = p.maxTokens;
      break;
    }
    case "completions":
      body = { prompt: [p.systemPrompt ? `${p.systemPrompt}\n\n${p.prompt}` : p.prompt], model: p.model, stream: p.streaming };
      if (p.maxTokens) body.max_tokens = p.maxTokens;
      break;
    case "embeddings":
      return { input: [p.prompt], model: p.model, ...p.extra };
    case "responses": {
      // Responses API: the system prompt is the top-level `instructions`, history goes in `input`.
      const input: Record<string, unknown>[] = (p.history ?? []).map((m) => ({ role: m.role, content: m.content }));
      input.push({ role: "user", content: p.prompt });
      body = { input, model: p.model, stream: p.streaming };
      if (p.systemPrompt) body.instructions = p.systemPrompt;
      if (p.maxTokens !== null) body.max_output_tokens = p.maxTokens;
      // Usage always comes in response.completed: no stream_options.
      return Object.assign(body, p.extra);
    }
    case "messages": {
      const messages: Record<string, unknown>[] = (p.history ?? []).map((m) => ({ role: m.role, content: m.content }));
      messages.push({ role: "user", content: p.prompt });
      body = { messages, model: p.model, max_tokens: p.maxTokens ?? MESSAGES_DEFAULT_MAX_TOKENS, stream: p.streaming };
      if (p.systemPrompt) body.system = p.systemPrompt;
      return Object.assign(body, p.extra);
    }
    case "huggingface_generate": {
      // TGI: generation settings (and --extra-inputs, as AIPerf puts them) go inside `parameters`.
      const parameters: Record<string, unknown> = {};
      if (p.maxTokens !== null) parameters.max_new_tokens = p.maxTokens;
      Object.assign(parameters, p.extra);
      return { inputs: p.systemPrompt ? `${p.systemPrompt}\n\n${p.prompt}` : p.prompt, parameters };
    }
    case "template": {
      const t = templateSettings(p.extra);
      const prompt = p.systemPrompt ? `${p.systemPrompt}\n\n${p.prompt}` : p.prompt;
      const rendered = renderTemplateBody(t.source ?? "{}", { prompt, model: p.model, maxTokens: p.maxTokens, streaming: p.streaming });
      return Object.assign(rendered, t.rest);
    }
    case "nim_rankings":
    case "hf_tei_rankings":
    case "cohere_rankings":
      return Object.assign(rankingsBody(p.endpointType, p.model, p.prompt, p.rankingsPassages ?? 1), p.extra);
  }
  Object.assign(body, p.extra);
  if (p.streaming && p.includeUsage && body.stream_options === undefined) body.stream_options = { include_usage: true };
  return body;
}
