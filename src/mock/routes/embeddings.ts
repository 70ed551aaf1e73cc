// POST /v1/embeddings: vectors after ttftMs (jittered). Only the 500/429 faults apply here.
import { recordImmediate, type MockContext, type RequestMeta } from "../context.ts";
import { embeddingBase64, embeddingInputs, embeddingVector } from "../embedding-vector.ts";
import { chooseFault, FAULT_HEADER, parseFaultHeader } from "../faults.ts";
import { errorResponse, jsonResponse } from "../http.ts";
import { countWords } from "../prompt-tokens.ts";
import { parseJsonObject } from "../request-parse.ts";
import { jitterMs } from "../seeded-rng.ts";

const MAX_DIMENSIONS = 65_536;

export async function handleEmbeddings(ctx: MockContext, meta: RequestMeta, req: Request): Promise<Response> {
  const uFault = meta.rng();
  const uDelay = meta.rng();
  const fail = (status: number, message: string, param: string | null, model: string | null): Response => {
    recordImmediate(ctx, meta, { status, model, stream: false, fault: null, promptTokens: 0, maxTokens: null });
    return errorResponse(status, message, meta.requestId, param);
  };

  const json = parseJsonObject(await req.text());
  if (!json.ok) return fail(400, json.error.message, null, null);
  const body = json.value;
  const model = typeof body.model === "string" && body.model !== "" ? body.model : null;
  if (model === null) return fail(400, "model is required and must be a string", "model", null);
  const inputs = embeddingInputs(body.input);
  if (inputs === null) return fail(400, "input must be a string, array of strings or array of token ids", "input", model);
  const format = body.encoding_format ?? "float";
  if (format !== "float" && format !== "base64") return fail(400, "encoding_format must be float or base64", "encoding_format", model);
  const dims = body.dimensions ?? ctx.opts.embeddingDim;
  if (typeof dims !== "number" || !Number.isInteger(dims) || dims < 1 || dims > MAX_DIMENSIONS) {
    return fail(400, `dimensions must be an integer in 1..${MAX_DIMENSIONS}`, "dimensions", model);
  }
  const header = parseFaultHeader(req.headers.get(FAULT_HEADER));
  if (header.kind === "invalid") return fail(400, "X-Mock-Fault must be one of 500, 429, drop, malformed, stall, none", null, model);

  const promptTokens = inputs.reduce((s, x) => s + (x.tokens > 0 ? x.tokens : countWords(x.key)), 0);
  const drawn = header.kind === "forced" ? header.fault : chooseFault(ctx.opts, uFault);
  const base = { model, stream: false, fault: null, promptTokens, maxTokens: null };
  if (drawn === "500" || drawn === "429") {
    recordImmediate(ctx, meta, { ...base, status: Number(drawn), fault: drawn });
    return drawn === "500"
      ? errorResponse(500, "injected fault: internal server error", meta.requestId)
      : errorResponse(429, "injected fault: rate limit exceeded", meta.requestId, null, { "retry-after": "1" });
  }

  ctx.metrics.model(model).promptTokens += promptTokens;
  const waitedOk = await waitOrAbort(ctx, jitterMs(ctx.opts.ttftMs, ctx.opts.jitterPct, uDelay), req.signal);
  if (waitedOk !== "ok") {
    const client = waitedOk === "client";
    const status = client ? 499 : 503;
    recordImmediate(ctx, meta, { ...base, status, noResponse: client, clientDisconnected: client });
    return client ? new Response(null, { status }) : errorResponse(503, "mock server is shutting down", meta.requestId);
  }

  const data = inputs.map((x, index) => {
    const v = embeddingVector(x.key, dims, ctx.opts.seed);
    return { object: "embedding", index, embedding: format === "base64" ? embeddingBase64(v) : Array.from(v) };
  });
  const text = JSON.stringify({
    object: "list",
    data,
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
  recordImmediate(ctx, meta, { ...base, status: 200, bodyBytes: Buffer.byteLength(text) });
  return jsonResponse(200, text, meta.requestId);
}

/** Sleeps `ms` unless the client leaves or the server stops first; no timer outlives it. */
export function waitOrAbort(ctx: MockContext, ms: number, signal: AbortSignal): Promise<"ok" | "client" | "server"> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve("client");
    const entry = { shutdown: () => settle("server") };
    const timer = setTimeout(() => settle("ok"), Math.ceil(ms));
    const onAbort = (): void => settle("client");
    function settle(how: "ok" | "client" | "server"): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      ctx.active.delete(entry);
      resolve(how);
    }
    ctx.active.add(entry);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
