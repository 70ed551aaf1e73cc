// POST /v1/chat/completions and POST /v1/completions.
import { recordImmediate, type MockContext, type RequestMeta } from "../context.ts";
import { chooseFault, FAULT_HEADER, parseFaultHeader, type Fault } from "../faults.ts";
import { errorResponse } from "../http.ts";
import { GenerationSession } from "../generation-session.ts";
import { planOutput } from "../output-plan.ts";
import { paceBatched, paceIndependent } from "../pacer.ts";
import { parseGenerationRequest, parseJsonObject, type Endpoint } from "../request-parse.ts";

/** Seconds sent in Retry-After on injected 429s. */
const RETRY_AFTER_S = 1;

/**
 * Draw order on the request's RNG (fixed, so seeds repeat): fault, output length, word offset,
 * then the pacer's jitter draws. The fault draw happens even when X-Mock-Fault forces one.
 */
export async function handleGenerate(ctx: MockContext, meta: RequestMeta, req: Request, endpoint: Endpoint): Promise<Response> {
  const uFault = meta.rng();
  const uLength = meta.rng();
  const uOffset = meta.rng();

  const fail400 = (message: string, param: string | null, model: string | null = null): Response => {
    recordImmediate(ctx, meta, { status: 400, model, stream: false, fault: null, promptTokens: 0, maxTokens: null });
    return errorResponse(400, message, meta.requestId, param);
  };

  const json = parseJsonObject(await req.text());
  if (!json.ok) return fail400(json.error.message, json.error.param);
  const parsed = parseGenerationRequest(endpoint, json.value);
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

  const reasoning = endpoint === "chat" ? ctx.opts.reasoningTokens : 0;
  const plan = planOutput(g.maxTokens, g.minTokens, g.promptTokens, reasoning, ctx.opts.tokensPerChunk, uLength, uOffset);
  const n = ++ctx.responseCounter;
  const session = new GenerationSession({
    ctx,
    meta,
    req: g,
    plan,
    fault,
    identity: {
      endpoint,
      id: `${endpoint === "chat" ? "chatcmpl" : "cmpl"}-mock${n}`,
      created: Math.floor(Date.now() / 1000),
      model: g.model,
    },
    reasoningOn: reasoning > 0,
    signal: req.signal,
  });
  if (ctx.driver !== null) paceBatched(session, ctx.driver);
  else paceIndependent(session, meta.receivedMs, ctx.opts, meta.rng);
  return session.response;
}
