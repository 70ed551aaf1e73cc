// Request bodies for OpenAI-compatible endpoints.

export interface ChatBodyParams {
  model: string;
  prompt: string;
  maxTokens: number | null;
  stream: boolean;
}

export function chatBody(p: ChatBodyParams): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: p.model,
    messages: [{ role: "user", content: p.prompt }],
    stream: p.stream,
  };
  if (p.maxTokens !== null) body.max_completion_tokens = p.maxTokens;
  if (p.stream) body.stream_options = { include_usage: true };
  return body;
}
