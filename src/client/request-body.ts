// Request bodies per endpoint type, shaped as AIPerf sends them (key order included), so a server
// sees the same payload from either tool. `extra` (--extra-inputs) is merged last and may override.

export type EndpointType = "chat" | "completions" | "embeddings";

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
}

export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
}

export const DEFAULT_ENDPOINT_PATH: Record<EndpointType, string> = {
  chat: "/v1/chat/completions",
  completions: "/v1/completions",
  embeddings: "/v1/embeddings",
};

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
  }
  Object.assign(body, p.extra);
  if (p.streaming && p.includeUsage && body.stream_options === undefined) body.stream_options = { include_usage: true };
  return body;
}
