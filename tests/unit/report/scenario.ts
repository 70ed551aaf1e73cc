// A small streaming run shared by the export golden tests: valid requests (one with reasoning, usage and
// a max-tokens limit), a failure, a cancellation and a warmup request. Expected strings in the tests were
// produced by a Python reference that follows AIPerf 0.6.0's code (numpy stats, pydantic/orjson JSON,
// csv.writer, rich Table) fed with exactly these records.
import type { RequestRecord } from "../../../src/record/request-record.ts";
import { parseGoodput } from "../../../src/metrics/goodput.ts";
import { makeRecord } from "../../helpers/records.ts";

/** Realistic epoch ns (above 2^53, so steps of 256 ns, like the real clock). */
export const START_NS = 1_760_000_000_123_456_789;
const at = (ms: number) => START_NS + Math.round(ms * 1e6);

export function scenarioRecords(): RequestRecord[] {
  return [
    makeRecord({ startNs: at(-500), phase: "warmup", chunkMs: [10, 20, 30] }, 0),
    makeRecord({ startNs: at(0), chunkMs: [25.123456, 31.5, 40.0001, 52.75, 60.5], inputTokens: 550, ackMs: 12.345678 }, 1),
    makeRecord(
      {
        startNs: at(7),
        chunkMs: [18.2, 22.9, 27.35, 41.8, 47.01, 55.5],
        reasoningChunks: 2,
        tokensPerChunk: 3,
        inputTokens: 548,
        requestedOutputTokens: 20,
        usage: { prompt: 560, completion: 18, total: 578, reasoning: 7 },
      },
      2,
    ),
    makeRecord({ startNs: at(9.5), chunkMs: [33.333333], inputTokens: 551, usage: { prompt: 551, completion: 1, total: 552 } }, 3),
    makeRecord({ startNs: at(12), endMs: 3.25, inputTokens: 549, error: { code: 500, type: "http_error", message: "HTTP 500: boom" } }, 4),
    makeRecord(
      {
        startNs: at(14),
        chunkMs: [30],
        endMs: 35,
        inputTokens: 552,
        cancelled: true,
        error: { code: 499, type: "cancelled", message: "request cancelled by the client" },
      },
      5,
    ),
    makeRecord({ startNs: at(15), endMs: 2, inputTokens: 547, error: { code: 500, type: "http_error", message: "HTTP 500: boom" } }, 6),
  ];
}

const scenarioSlos = () => parseGoodput(["time_to_first_token:26 output_token_throughput_per_user:150"]).slos;

export const scenarioOptions = () => ({ streaming: true, slos: scenarioSlos(), percentiles: [99.9] });
