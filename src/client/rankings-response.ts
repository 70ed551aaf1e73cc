// Answers of the APIs without generated text: embeddings and rankings. An answer is valid when it
// holds a non-empty result list of the API's shape; there are no tokens to count (AIPerf measures
// these by latency and throughput only).
// - nim_rankings: {rankings: [{index, logit}]}
// - hf_tei_rankings: [{index, score}]
// - cohere_rankings: {results: [{index, relevance_score}]}
import type { RankingsType } from "./rankings-body.ts";
import type { BodyInfo, ResponseReader } from "./response-reader-types.ts";
import { errorOf, isObj } from "./openai-chunk.ts";

/** Parsed JSON, or the invalid answer it makes. */
function parsed(raw: string): { v: unknown } | { bad: BodyInfo } {
  try {
    return { v: JSON.parse(raw) as unknown };
  } catch {
    return { bad: { kind: "invalid", message: `not JSON: ${raw}` } };
  }
}

/** An embeddings body: {data: [...]} with at least one vector. */
export function embeddingsBody(raw: string): BodyInfo {
  const p = parsed(raw);
  if ("bad" in p) return p.bad;
  const j = p.v as { data?: unknown; error?: { message?: string } } | null;
  if (Array.isArray(j?.data)) return j.data.length > 0 ? { kind: "answer" } : { kind: "empty", what: "embeddings response with an empty data[]" };
  return { kind: "invalid", message: j?.error?.message ?? "embeddings response without data[]" };
}

const RESULT_LIST: Record<RankingsType, { key: string | null; score: string }> = {
  nim_rankings: { key: "rankings", score: "logit" },
  hf_tei_rankings: { key: null, score: "score" },
  cohere_rankings: { key: "results", score: "relevance_score" },
};

export function rankingsBody(type: RankingsType, raw: string): BodyInfo {
  const p = parsed(raw);
  if ("bad" in p) return p.bad;
  const shape = RESULT_LIST[type];
  if (isObj(p.v)) {
    const err = errorOf(p.v);
    if (err) return err;
  }
  const list = shape.key === null ? p.v : isObj(p.v) ? p.v[shape.key] : undefined;
  const where = shape.key === null ? "a JSON list" : `a "${shape.key}" list`;
  if (!Array.isArray(list)) return { kind: "invalid", message: `rankings answer is not ${where} of {index, ${shape.score}}` };
  if (list.length === 0) return { kind: "empty", what: `rankings answer with an empty ${shape.key ?? "list"}` };
  const bad = list.find((r) => !isObj(r) || typeof r.index !== "number" || typeof r[shape.score] !== "number");
  if (bad !== undefined) return { kind: "invalid", message: `rankings answer entry without a numeric index and ${shape.score}: ${JSON.stringify(bad)}` };
  return { kind: "answer" };
}

export function rankingsReader(type: RankingsType): ResponseReader {
  return {
    event: () => ({ kind: "malformed", raw: "", reason: `--endpoint-type ${type} does not stream` }),
    body: (raw) => rankingsBody(type, raw),
    endMarker: "the end of the answer",
    emptyStream: "no rankings",
    emptyBody: "no rankings",
  };
}
