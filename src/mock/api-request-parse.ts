// Validates request bodies of the non-OpenAI-chat APIs the mock serves into the GenerationRequest
// the session acts on: Responses (/v1/responses), Anthropic Messages (/v1/messages) and TGI
// (/generate, /generate_stream). Prompt tokens are counted as words, as for chat.
import { contentTokens, countWords } from "./prompt-tokens.ts";
import type { GenerationRequest, Parsed } from "./request-parse.ts";

type Body = Record<string, unknown>;

const bad = (message: string, param: string | null = null): { ok: false; error: { message: string; param: string | null } } => ({
  ok: false,
  error: { message, param },
});

const isObj = (v: unknown): v is Body => v !== null && typeof v === "object" && !Array.isArray(v);

/** An optional integer >= 1 (absent: null), or the error message. */
function optionalCount(v: unknown, name: string): number | null | string {
  if (v === undefined || v === null) return null;
  return typeof v === "number" && Number.isInteger(v) && v >= 1 ? v : `${name} must be an integer >= 1`;
}

function request(model: string, stream: boolean, promptTokens: number, maxTokens: number | null, endpoint: "chat" | "completions"): GenerationRequest {
  return { endpoint, model, stream, includeUsage: true, promptTokens, maxTokens, minTokens: 0, ignoreEos: false };
}

/** Words in role/content items (string content or text parts). */
function itemsTokens(items: unknown[], param: string): number | string {
  let n = 0;
  for (const m of items) {
    if (!isObj(m)) return `each ${param} item must be an object`;
    n += contentTokens(m.content);
  }
  return n;
}

export function parseResponsesRequest(body: Body): Parsed<GenerationRequest> {
  const model = body.model;
  if (typeof model !== "string" || model === "") return bad("model is required and must be a string", "model");
  const input = body.input;
  let tokens: number | string;
  if (typeof input === "string") tokens = countWords(input);
  else if (Array.isArray(input) && input.length > 0) tokens = itemsTokens(input, "input");
  else return bad("input is required: a string or a non-empty array of items", "input");
  if (typeof tokens === "string") return bad(tokens, "input");
  if (typeof body.instructions === "string") tokens += countWords(body.instructions);
  if (body.stream !== undefined && typeof body.stream !== "boolean") return bad("stream must be a boolean", "stream");
  const max = optionalCount(body.max_output_tokens, "max_output_tokens");
  if (typeof max === "string") return bad(max, "max_output_tokens");
  return { ok: true, value: request(model, body.stream === true, tokens, max, "chat") };
}

export function parseMessagesRequest(body: Body): Parsed<GenerationRequest> {
  const model = body.model;
  if (typeof model !== "string" || model === "") return bad("model: Field required", "model");
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return bad("messages: Field required (a non-empty array)", "messages");
  let tokens = itemsTokens(messages, "messages");
  if (typeof tokens === "string") return bad(tokens, "messages");
  if (typeof body.system === "string") tokens += countWords(body.system);
  else if (Array.isArray(body.system)) tokens += contentTokens(body.system);
  // The Messages API requires max_tokens.
  const max = optionalCount(body.max_tokens, "max_tokens");
  if (max === null) return bad("max_tokens: Field required", "max_tokens");
  if (typeof max === "string") return bad(max, "max_tokens");
  if (body.stream !== undefined && typeof body.stream !== "boolean") return bad("stream must be a boolean", "stream");
  return { ok: true, value: request(model, body.stream === true, tokens, max, "chat") };
}

/** TGI has no model field: requests are counted under `model`. `stream` comes from the path. */
export function parseTgiRequest(body: Body, stream: boolean, model: string): Parsed<GenerationRequest> {
  if (typeof body.inputs !== "string" || body.inputs === "") return bad("inputs must be a non-empty string", "inputs");
  const params = body.parameters ?? {};
  if (!isObj(params)) return bad("parameters must be an object", "parameters");
  const max = optionalCount(params.max_new_tokens, "max_new_tokens");
  if (typeof max === "string") return bad(max, "parameters");
  return { ok: true, value: request(model, stream, countWords(body.inputs), max, "completions") };
}
