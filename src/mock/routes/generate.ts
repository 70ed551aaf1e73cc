// POST /v1/chat/completions, /v1/completions, /v1/responses, /v1/messages, /generate and /generate_stream:
// one generation engine, the API only changes the request parsing and the wire format.
import { recordImmediate, type MockContext, type RequestMeta } from "../context.ts";
import { chooseFault, FAULT_HEADER, parseFaultHeader, type Fault } from "../faults.ts";
import { errorResponse } from "../http.ts";
import { GenerationSession } from "../generation-session.ts";
import { planOutput } from "../output-plan.ts";
import { paceBatched, paceIndependent } from "../pacer.ts";
import { parseGenerationRequest, parseJsonObject, type Endpoint, type GenerationRequest, type Parsed } from "../request-parse.ts";
import { parseMessagesRequest, parseResponsesRequest, parseTgiRequest } from "../api-request-parse.ts";
import { anthropicFormat } from "../anthropic-json.ts";
import { responsesFormat } from "../responses-json.ts";
import { tgiFormat } from "../tgi-json.ts";
import type { WireFormat } from "../wire-format.ts";

/** The APIs this route serves. */
export type MockApi = Endpoint | "responses" | "messages" | "generate" | "generate_stream";

/** Path -> API of every generation route. */
export const GENERATE_ROUTES: Record<string, MockApi> = {
  "/v1/chat/completions": "chat",
  "/v1/completions": "completions",
  "/v1/responses": "responses",
  "/v1/messages": "messages",
  "/generate": "generate",
  "/generate_stream": "generate_stream",
};

const ID_PREFIX: Record<MockApi, string> = {
  chat: "chatcmpl-",
  completions: "cmpl-",
  responses: "resp_",
  messages: "msg_",
  generate: "tgi-",
  generate_stream: "tgi-",
};

function parseFor(api: MockApi, body: Record<string, unknown>, ctx: MockContext): Parsed<GenerationRequest> {
  switch (api) {
    case "chat":
    case "completions":
      return parseGenerationRequest(api, body);
    case "responses":
      return parseResponsesRequest(body);
    case "messages":
      return parseMessagesRequest(body);
    case "generate":
    case "generate_stream":
      return parseTgiRequest(body, api === "generate_stream", ctx.opts.models[0] ?? "mock-model");
  }
}

/** Seconds sent in Retry-After on injected 429s. */
const RETRY_AFTER_S = 1;

/**
 * Draw order on the request's RNG (fixed, so seeds repeat): fault, output length, word offset,
 * then the pacer's jitter draws. The fault draw happens even when X-Mock-Fault forces one.
 */
export async function handleGenerate(ctx: MockContext, meta: RequestMeta, req: Request, api: MockApi): Promise<Response> {
  const uFault = meta.rng();
  const uLength = meta.rng();
  const uOffset = meta.rng();

  const fail400 = (message: string, param: string | null, model: string | null = null): Response => {
    recordImmediate(ctx, meta, { status: 400, model, stream: false, fault: null, promptTokens: 0, maxTokens: null });
    return errorResponse(400, message, meta.requestId, param);
  };

  const json = parseJsonObject(await req.text());
  if (!json.ok) return fail400(json.error.message, json.error.param);
  const parsed = parseFor(api, json.value, ctx);
  if (!parsed.ok) {
    const model = typeof json.value.model === "string" ? json.value.model : null;
    return fail400(parsed.error.message, parsed.error.param, model);
  }
  const g = parsed.value;

  const header = parseFaultHeader(req.headers.get(FAULT_HEADER));
  if (header.kind === "invalid") {
    return fail400("X-Mock-Fault must be one of 500, 429, drop, malformed, stall, none", null, g.model);
  }
  const fault: Fault | null = header.kind === "forced" ? header.fault : chooseFault(ctx.opts, uFault);

  if (fault === "500" || fault === "429") {
    const status = fault === "500" ? 500 : 429;
    recordImmediate(ctx, meta, {
      status,
      model: g.model,
      stream: g.stream,
      fault,
      promptTokens: g.promptTokens,
      maxTokens: g.maxTokens,
    });
    return fault === "500"
      ? errorResponse(500, "injected fault: internal server error", meta.requestId)
      : errorResponse(429, "injected fault: rate limit exceeded", meta.requestId, null, {
          "retry-after": String(RETRY_AFTER_S),
        });
  }

  const endpoint = parsed.value.endpoint;
  // Reasoning: chat, and the APIs with reasoning/thinking output (Responses, Messages).
  const reasoning = endpoint === "chat" ? ctx.opts.reasoningTokens : 0;
  const plan = planOutput(g.maxTokens, g.minTokens, g.promptTokens, reasoning, ctx.opts.tokensPerChunk, uLength, uOffset);
  const n = ++ctx.responseCounter;
  const id = `${ID_PREFIX[api]}mock${n}`;
  const created = Math.floor(Date.now() / 1000);
  let format: WireFormat | undefined;
  if (api === "responses") format = responsesFormat({ id, created, model: g.model }, reasoning > 0);
  else if (api === "messages") format = anthropicFormat({ id, created, model: g.model }, g.promptTokens);
  else if (api === "generate" || api === "generate_stream") format = tgiFormat(plan.reasoningTokens + plan.contentTokens);
  const session = new GenerationSession({
    ctx,
    meta,
    req: g,
    plan,
    fault,
    identity: { endpoint, id, created, model: g.model },
    format,
    reasoningOn: reasoning > 0,
    signal: req.signal,
  });
  if (ctx.driver !== null) paceBatched(session, ctx.driver);
  else paceIndependent(session, meta.receivedMs, ctx.opts, meta.rng);
  return session.response;
}
