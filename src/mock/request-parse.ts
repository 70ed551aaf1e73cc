// Validates chat / completions request bodies into the few fields the mock acts on.
import { contentTokens, promptInputTokens } from "./prompt-tokens.ts";

export type Endpoint = "chat" | "completions";

export interface GenerationRequest {
  endpoint: Endpoint;
  model: string;
  stream: boolean;
  includeUsage: boolean;
  promptTokens: number;
  /** max_completion_tokens (chat, takes precedence) or max_tokens; null when absent. */
  maxTokens: number | null;
  minTokens: number;
  /** Accepted for compatibility; lengths are the same either way (see output-plan.ts). */
  ignoreEos: boolean;
}

export interface ParseError {
  message: string;
  param: string | null;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ParseError };

const bad = (message: string, param: string | null = null): { ok: false; error: ParseError } => ({
  ok: false,
  error: { message, param },
});

export function parseJsonObject(text: string): Parsed<Record<string, unknown>> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return bad("request body is not valid JSON");
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) return bad("request body must be a JSON object");
  return { ok: true, value: v as Record<string, unknown> };
}

/** null/undefined = absent; otherwise an integer >= min, or an error message. */
function optionalInt(body: Record<string, unknown>, key: string, min: number): number | null | ParseError {
  const v = body[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    return { message: `${key} must be an integer >= ${min}`, param: key };
  }
  return v;
}

function optionalBool(body: Record<string, unknown>, key: string): boolean | ParseError {
  const v = body[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== "boolean") return { message: `${key} must be a boolean`, param: key };
  return v;
}

const isErr = (v: unknown): v is ParseError => v !== null && typeof v === "object";

export function parseGenerationRequest(endpoint: Endpoint, body: Record<string, unknown>): Parsed<GenerationRequest> {
  const model = body.model;
  if (typeof model !== "string" || model === "") return bad("model is required and must be a string", "model");

  let promptTokens: number;
  if (endpoint === "chat") {
    const messages = body.messages;
    if (!Array.isArray(messages) || messages.length === 0) {
      return bad("messages is required and must be a non-empty array", "messages");
    }
    promptTokens = 0;
    for (const m of messages) {
      if (m === null || typeof m !== "object" || typeof (m as { role?: unknown }).role !== "string") {
        return bad("each message must be an object with a string role", "messages");
      }
      promptTokens += contentTokens((m as { content?: unknown }).content);
    }
  } else {
    const prompt = body.prompt;
    const okPrompt =
      typeof prompt === "string" ||
      (Array.isArray(prompt) && prompt.length > 0 && prompt.every((p) => typeof p === "string" || typeof p === "number" || Array.isArray(p)));
    if (!okPrompt) return bad("prompt is required: a string, array of strings or array of token ids", "prompt");
    promptTokens = promptInputTokens(prompt);
  }

  const stream = optionalBool(body, "stream");
  if (isErr(stream)) return { ok: false, error: stream };
  const ignoreEos = optionalBool(body, "ignore_eos");
  if (isErr(ignoreEos)) return { ok: false, error: ignoreEos };
  const maxTokens = optionalInt(body, "max_tokens", 1);
  if (isErr(maxTokens)) return { ok: false, error: maxTokens };
  const maxCompletion = endpoint === "chat" ? optionalInt(body, "max_completion_tokens", 1) : null;
  if (isErr(maxCompletion)) return { ok: false, error: maxCompletion };
  const minTokens = optionalInt(body, "min_tokens", 0);
  if (isErr(minTokens)) return { ok: false, error: minTokens };
  const max = maxCompletion ?? maxTokens;
  if (max !== null && minTokens !== null && minTokens > max) {
    return bad("min_tokens must not exceed max_tokens", "min_tokens");
  }

  let includeUsage = false;
  const so = body.stream_options;
  if (so !== undefined && so !== null) {
    if (typeof so !== "object" || Array.isArray(so)) return bad("stream_options must be an object", "stream_options");
    const iu = optionalBool(so as Record<string, unknown>, "include_usage");
    if (isErr(iu)) return bad("stream_options.include_usage must be a boolean", "stream_options");
    includeUsage = iu;
  }

  return {
    ok: true,
    value: {
      endpoint,
      model,
      stream,
      includeUsage,
      promptTokens,
      maxTokens: max,
      minTokens: minTokens ?? 0,
      ignoreEos,
    },
  };
}
