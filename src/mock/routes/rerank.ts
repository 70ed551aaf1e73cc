// POST /v1/ranking (NVIDIA NIM), /rerank (Hugging Face TEI) and /v2/rerank (Cohere): scores for each
// passage after ttftMs (jittered), best first. Scores are deterministic: the share of the passage's
// words that appear in the query. Only the 500/429 faults apply here.
import { recordImmediate, type MockContext, type RequestMeta } from "../context.ts";
import { chooseFault, FAULT_HEADER, parseFaultHeader } from "../faults.ts";
import { errorResponse, jsonResponse } from "../http.ts";
import { countWords } from "../prompt-tokens.ts";
import { parseJsonObject } from "../request-parse.ts";
import { jitterMs } from "../seeded-rng.ts";
import { waitOrAbort } from "./embeddings.ts";

export type RerankApi = "nim" | "tei" | "cohere";

export const RERANK_ROUTES: Record<string, RerankApi> = { "/v1/ranking": "nim", "/rerank": "tei", "/v2/rerank": "cohere" };

interface RerankRequest {
  model: string | null;
  query: string;
  passages: string[];
}

const strings = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : null);

function parse(api: RerankApi, body: Record<string, unknown>): RerankRequest | string {
  const model = typeof body.model === "string" && body.model !== "" ? body.model : null;
  if (api === "nim") {
    const q = body.query as { text?: unknown } | null | undefined;
    if (typeof q?.text !== "string") return "query.text is required";
    const p = body.passages;
    if (!Array.isArray(p) || !p.every((x) => typeof (x as { text?: unknown } | null)?.text === "string")) return "passages must be a list of {text}";
    if (model === null) return "model is required";
    return { model, query: q.text, passages: p.map((x) => (x as { text: string }).text) };
  }
  if (typeof body.query !== "string") return "query must be a string";
  const list = strings(api === "tei" ? body.texts : body.documents);
  if (list === null) return `${api === "tei" ? "texts" : "documents"} must be a list of strings`;
  if (api === "cohere" && model === null) return "model is required";
  return { model, query: body.query, passages: list };
}

function score(query: string, passage: string): number {
  const q = new Set(query.toLowerCase().split(/\s+/));
  const words = passage
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== "");
  if (words.length === 0) return 0;
  return words.filter((w) => q.has(w)).length / words.length;
}

export async function handleRerank(ctx: MockContext, meta: RequestMeta, req: Request, api: RerankApi): Promise<Response> {
  const uFault = meta.rng();
  const uDelay = meta.rng();
  const fail = (status: number, message: string, model: string | null): Response => {
    recordImmediate(ctx, meta, { status, model, stream: false, fault: null, promptTokens: 0, maxTokens: null });
    return errorResponse(status, message, meta.requestId);
  };
  const json = parseJsonObject(await req.text());
  if (!json.ok) return fail(400, json.error.message, null);
  const r = parse(api, json.value);
  if (typeof r === "string") return fail(400, r, null);
  const model = r.model ?? ctx.opts.models[0] ?? "mock-model";
  const header = parseFaultHeader(req.headers.get(FAULT_HEADER));
  if (header.kind === "invalid") return fail(400, "X-Mock-Fault must be one of 500, 429, drop, malformed, stall, none", model);
  const promptTokens = countWords(r.query) + r.passages.reduce((s, p) => s + countWords(p), 0);
  const drawn = header.kind === "forced" ? header.fault : chooseFault(ctx.opts, uFault);
  const base = { model, stream: false, fault: null, promptTokens, maxTokens: null };
  if (drawn === "500" || drawn === "429") {
    recordImmediate(ctx, meta, { ...base, status: Number(drawn), fault: drawn });
    return drawn === "500"
      ? errorResponse(500, "injected fault: internal server error", meta.requestId)
      : errorResponse(429, "injected fault: rate limit exceeded", meta.requestId, null, { "retry-after": "1" });
  }
  ctx.metrics.model(model).promptTokens += promptTokens;
  const waited = await waitOrAbort(ctx, jitterMs(ctx.opts.ttftMs, ctx.opts.jitterPct, uDelay), req.signal);
  if (waited !== "ok") {
    const client = waited === "client";
    recordImmediate(ctx, meta, { ...base, status: client ? 499 : 503, noResponse: client, clientDisconnected: client });
    return client ? new Response(null, { status: 499 }) : errorResponse(503, "mock server is shutting down", meta.requestId);
  }
  const ranked = r.passages.map((p, index) => ({ index, s: score(r.query, p) })).sort((a, b) => b.s - a.s || a.index - b.index);
  const text =
    api === "nim"
      ? JSON.stringify({ rankings: ranked.map((x) => ({ index: x.index, logit: x.s * 10 - 5 })) })
      : api === "tei"
        ? JSON.stringify(ranked.map((x) => ({ index: x.index, score: x.s })))
        : JSON.stringify({
            id: meta.requestId,
            results: ranked.map((x) => ({ index: x.index, relevance_score: x.s })),
            meta: { billed_units: { search_units: 1 } },
          });
  recordImmediate(ctx, meta, { ...base, status: 200, bodyBytes: Buffer.byteLength(text) });
  return jsonResponse(200, text, meta.requestId);
}
