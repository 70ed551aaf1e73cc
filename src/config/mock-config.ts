// `llmbench mock` flags -> MockOptions, validated all at once. Defaults live in the flag table.
import { type } from "arktype";
import { nonNegativeInt, nonNegativeNumber, percent, port, positiveInt, positiveNumber } from "./common-types.ts";
import type { MockOptions } from "../mock/mock-options.ts";

export const mockSchema = type({
  host: "string > 0",
  port,
  "model?": "string[]",
  ttftMs: nonNegativeNumber,
  itlMs: nonNegativeNumber,
  jitterPct: percent,
  seed: nonNegativeInt,
  tokensPerChunk: positiveInt,
  reasoningTokens: nonNegativeInt,
  embeddingDim: positiveInt,
  fault500Pct: percent,
  fault429Pct: percent,
  faultDropPct: percent,
  faultMalformedPct: percent,
  faultStallPct: percent,
  stallSeconds: nonNegativeNumber,
  maxBatchSize: nonNegativeInt,
  stepMs: positiveNumber,
  "record?": "string > 0",
});

export function toMockOptions(f: typeof mockSchema.infer): { options: MockOptions; problems: string[] } {
  const problems: string[] = [];
  const faults = f.fault500Pct + f.fault429Pct + f.faultDropPct + f.faultMalformedPct + f.faultStallPct;
  if (faults > 100) problems.push(`--fault-*-pct add up to ${faults}; at most 100 is allowed`);
  const options: MockOptions = {
    host: f.host,
    port: f.port,
    models: f.model && f.model.length > 0 ? f.model : ["mock-model"],
    ttftMs: f.ttftMs,
    itlMs: f.itlMs,
    jitterPct: f.jitterPct,
    seed: f.seed,
    tokensPerChunk: f.tokensPerChunk,
    reasoningTokens: f.reasoningTokens,
    embeddingDim: f.embeddingDim,
    fault500Pct: f.fault500Pct,
    fault429Pct: f.fault429Pct,
    faultDropPct: f.faultDropPct,
    faultMalformedPct: f.faultMalformedPct,
    faultStallPct: f.faultStallPct,
    stallSeconds: f.stallSeconds,
    maxBatchSize: f.maxBatchSize,
    stepMs: f.stepMs,
    recordPath: f.record ?? null,
  };
  return { options, problems };
}
