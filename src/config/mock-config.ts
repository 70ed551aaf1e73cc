// `llmbench mock` flags: the one declaration (name, help, default, schema) -> MockOptions.
import { ark, lazy } from "./ark.ts";
import { nonNegativeInt, nonNegativeNumber, percent, port, positiveInt, positiveNumber } from "./common-types.ts";
import { flagsSchema, type FlagSpec, type FlagValues } from "./flag-spec.ts";
import type { MockOptions } from "../mock/mock-options.ts";

const num = <S extends FlagSpec["schema"]>(description: string, def: string, valueHint: string, schema: S) =>
  ({ type: "string", description, default: def, valueHint, schema }) as const;

export const MOCK_FLAGS = {
  host: {
    type: "string",
    description: "Address to bind (loopback unless you say otherwise)",
    default: "127.0.0.1",
    valueHint: "addr",
    schema: lazy(() => ark().type("string > 0")),
  },
  port: num("Port to listen on (0 = any free port)", "8000", "port", port),
  model: { type: "string", repeatable: true, description: "Model name listed by /v1/models (repeatable)", defaultNote: "mock-model", valueHint: "name" },
  "ttft-ms": num("Time to first token", "20", "ms", nonNegativeNumber),
  "itl-ms": num("Gap between chunks", "5", "ms", nonNegativeNumber),
  "jitter-pct": num("Seeded uniform jitter on TTFT and gaps, +-percent", "0", "pct", percent),
  seed: num("Seed for lengths, jitter and faults", "0", "n", nonNegativeInt),
  "tokens-per-chunk": num("Tokens bundled in each SSE chunk (as with speculative decoding)", "1", "n", positiveInt),
  "reasoning-tokens": num("Chat: tokens sent as reasoning_content before content", "0", "n", nonNegativeInt),
  "embedding-dim": num("Length of /v1/embeddings vectors", "16", "n", positiveInt),
  "fault-500-pct": num("Percent of requests answered with HTTP 500", "0", "pct", percent),
  "fault-429-pct": num("Percent of requests answered with HTTP 429", "0", "pct", percent),
  "fault-drop-pct": num("Percent of streams whose connection drops mid-stream", "0", "pct", percent),
  "fault-malformed-pct": num("Percent of streams with a malformed (non-JSON) chunk", "0", "pct", percent),
  "fault-stall-pct": num("Percent of streams that stall after the first chunk", "0", "pct", percent),
  "stall-seconds": num("How long a stalled stream sends nothing", "30", "s", nonNegativeNumber),
  "max-batch-size": num("Batched-decode model: requests decoded at once (0 = off)", "0", "n", nonNegativeInt),
  "step-ms": num("Batched-decode model: time of one decode step", "10", "ms", positiveNumber),
  record: {
    type: "string",
    description: "Write a JSONL line per request with exactly when each chunk was sent",
    valueHint: "file",
    schema: lazy(() => ark().type("string > 0")),
  },
} as const satisfies Record<string, FlagSpec>;

export type MockFlags = FlagValues<typeof MOCK_FLAGS>;

export const mockSchema = lazy(() => flagsSchema(MOCK_FLAGS));

export function toMockOptions(f: MockFlags): { options: MockOptions; problems: string[] } {
  const problems: string[] = [];
  const faults = f.fault500Pct + f.fault429Pct + f.faultDropPct + f.faultMalformedPct + f.faultStallPct;
  if (faults > 100) problems.push(`--fault-*-pct add up to ${faults}; at most 100 is allowed`);
  const { model, record, ...same } = f;
  const options: MockOptions = { ...same, models: model && model.length > 0 ? model : ["mock-model"], recordPath: record ?? null };
  return { options, problems };
}
