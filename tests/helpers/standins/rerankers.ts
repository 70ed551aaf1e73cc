// Stand-ins for three rerank APIs, written from their published references (not from the mock):
// NVIDIA NIM (POST /v1/ranking -> {rankings: [{index, logit}]}), Hugging Face TEI (POST /rerank ->
// [{index, score}]) and Cohere v2 (POST /v2/rerank -> {id, results: [{index, relevance_score}], meta}).
// Results come best first, as each server sorts them.
import type { Script } from "./scripted-server.ts";

export type Reranker = "nim" | "tei" | "cohere";

export const RERANK_PATH: Record<Reranker, string> = { nim: "/v1/ranking", tei: "/rerank", cohere: "/v2/rerank" };

/** The passages of a request body of that API, or null if it is not one. */
export function passagesOf(api: Reranker, body: unknown): string[] | null {
  const b = body as Record<string, unknown> | null;
  if (b === null || typeof b !== "object") return null;
  if (api === "nim") return Array.isArray(b.passages) ? b.passages.map((p) => String((p as { text: unknown }).text)) : null;
  const list = api === "tei" ? b.texts : b.documents;
  return Array.isArray(list) ? list.map(String) : null;
}

export function rerankAnswer(api: Reranker, passages: number, delayMs: number): Script {
  // Reverse order: the last passage ranked best.
  const order = Array.from({ length: passages }, (_, i) => passages - 1 - i);
  const body =
    api === "nim"
      ? { rankings: order.map((index, r) => ({ index, logit: 2.5 - r })) }
      : api === "tei"
        ? order.map((index, r) => ({ index, score: 0.9 / (r + 1) }))
        : {
            id: "07734bd2-2473-4f07-94e1-0d9f0e6843cf",
            results: order.map((index, r) => ({ index, relevance_score: 0.99 / (r + 1) })),
            meta: { api_version: { version: "2" }, billed_units: { search_units: 1 } },
          };
  return { contentType: "application/json", frames: [{ afterMs: delayMs, text: JSON.stringify(body) }] };
}

/** Each API's error answer for a bad request. */
export function rerankError(api: Reranker): Script {
  const body =
    api === "nim"
      ? { error: "Input validation error: passages must not be empty" }
      : api === "tei"
        ? { error: "Input validation error: `texts` cannot be empty", error_type: "Validation" }
        : { message: "invalid request: list of documents must not be empty" };
  return { status: api === "tei" ? 422 : 400, contentType: "application/json", frames: [{ afterMs: 0, text: JSON.stringify(body) }] };
}
