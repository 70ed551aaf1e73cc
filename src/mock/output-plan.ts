// How many tokens a request gets and how they split into SSE chunks. Pure; all randomness comes
// in as uniform draws so tests can pin every branch.
import { VOCAB } from "./token-text.ts";

/** Without max_tokens the seeded length is capped so a huge prompt cannot stream for hours. */
export const MAX_DEFAULT_OUTPUT_TOKENS = 4096;

export type FinishReason = "length" | "stop";

/**
 * With a max: exactly the max, finish_reason "length" (ignore_eos changes nothing; the mock never
 * stops early). Without: uniform in [0.5, 1.5) x prompt tokens, at least max(1, min_tokens),
 * at most MAX_DEFAULT_OUTPUT_TOKENS unless min_tokens asks for more; finish_reason "stop".
 */
export function chooseOutputLength(
  maxTokens: number | null,
  minTokens: number,
  promptTokens: number,
  u: number,
): { tokens: number; finishReason: FinishReason } {
  if (maxTokens !== null) return { tokens: maxTokens, finishReason: "length" };
  const seeded = Math.floor(promptTokens * (0.5 + u));
  const tokens = Math.max(1, minTokens, Math.min(seeded, MAX_DEFAULT_OUTPUT_TOKENS));
  return { tokens, finishReason: "stop" };
}

export interface OutputPlan {
  reasoningTokens: number;
  contentTokens: number;
  finishReason: FinishReason;
  tokensPerChunk: number;
  /** Start of this request's word sequence (token-text.ts). */
  tokenOffset: number;
  reasoningChunks: number;
  /** Total SSE chunks carrying tokens; reasoning and content never share a chunk. */
  chunks: number;
}

/**
 * Reasoning (chat only) comes first and counts towards max_tokens: with a max M the request gets
 * min(reasoning, M) reasoning tokens and the rest as content; without a max it gets all reasoning
 * tokens plus the seeded content length.
 */
export function planOutput(
  maxTokens: number | null,
  minTokens: number,
  promptTokens: number,
  reasoningTokens: number,
  tokensPerChunk: number,
  uLength: number,
  uOffset: number,
): OutputPlan {
  const len = chooseOutputLength(maxTokens, minTokens, promptTokens, uLength);
  const reasoning = maxTokens !== null ? Math.min(reasoningTokens, maxTokens) : reasoningTokens;
  const content = maxTokens !== null ? maxTokens - reasoning : len.tokens;
  const reasoningChunks = Math.ceil(reasoning / tokensPerChunk);
  return {
    reasoningTokens: reasoning,
    contentTokens: content,
    finishReason: len.finishReason,
    tokensPerChunk,
    tokenOffset: Math.floor(uOffset * VOCAB.length),
    reasoningChunks,
    chunks: reasoningChunks + Math.ceil(content / tokensPerChunk),
  };
}

export interface ChunkSlice {
  channel: "reasoning" | "content";
  /** Index of the chunk's first token in the request's whole token sequence. */
  start: number;
  tokens: number;
  last: boolean;
}

export function chunkSlice(plan: OutputPlan, index: number): ChunkSlice {
  const last = index === plan.chunks - 1;
  const tpc = plan.tokensPerChunk;
  if (index < plan.reasoningChunks) {
    const start = index * tpc;
    return { channel: "reasoning", start, tokens: Math.min(tpc, plan.reasoningTokens - start), last };
  }
  const offset = (index - plan.reasoningChunks) * tpc;
  const tokens = Math.min(tpc, plan.contentTokens - offset);
  return { channel: "content", start: plan.reasoningTokens + offset, tokens, last };
}
