// nim_rankings, hf_tei_rankings and cohere_rankings against stand-ins written from each API's
// reference: the body each takes (query and --rankings-passages-mean passages cut from the prompt),
// a valid answer ends the request when its body has arrived (latency only: no chunks, no output
// tokens), an empty result list is an empty response, another shape is malformed, and each API's
// error body gives the record's message.
import { afterAll, describe, expect, test } from "bun:test";
import type { EndpointType } from "../../src/client/endpoint-types.ts";
import { passagesOf, RERANK_PATH, rerankAnswer, rerankError, type Reranker } from "../helpers/standins/rerankers.ts";
import { runAgainst } from "../helpers/standins/run-against.ts";
import { startScriptedServer, type Script } from "../helpers/standins/scripted-server.ts";

let next: ((path: string, body: unknown) => Script) | null = null;
const server = startScriptedServer((path, body) => next?.(path, body) ?? { status: 500, contentType: "text/plain", frames: [{ afterMs: 0, text: "x" }] });
afterAll(() => server.stop());

const PROMPT = "one two three four five six seven eight";
const TYPES: [Reranker, EndpointType][] = [
  ["nim", "nim_rankings"],
  ["tei", "hf_tei_rankings"],
  ["cohere", "cohere_rankings"],
];

const WANT_BODY: Record<Reranker, unknown> = {
  nim: { model: "standin-model", query: { text: "one two" }, passages: [{ text: "three four" }, { text: "five six" }, { text: "seven eight" }] },
  tei: { query: "one two", texts: ["three four", "five six", "seven eight"] },
  cohere: { model: "standin-model", query: "one two", documents: ["three four", "five six", "seven eight"] },
};

describe("rerankers against their stand-ins", () => {
  for (const [api, type] of TYPES) {
    test(`${type}: body, latency to the whole answer, no tokens`, async () => {
      next = (path, body) => {
        const passages = passagesOf(api, body);
        return path === RERANK_PATH[api] && passages !== null ? rerankAnswer(api, passages.length, 30) : rerankError(api);
      };
      const rec = await runAgainst(server.url, type, false, { prompt: PROMPT, rankingsPassages: 3 });
      expect(rec.error).toBeNull();
      const ex = server.exchanges.at(-1)!;
      expect(ex.path).toBe(RERANK_PATH[api]);
      expect(ex.body).toEqual(WANT_BODY[api]);
      expect(rec.end_ns).toBeGreaterThanOrEqual(ex.sentNs[0]!);
      expect(rec.ack_ns).toBeGreaterThan(rec.start_ns);
      expect(rec.chunks).toEqual([]);
      expect(rec.output_tokens).toBe(0);
    });

    test(`${type}: an empty result list is an empty response; the API's error body is the message`, async () => {
      next = () => ({
        contentType: "application/json",
        frames: [{ afterMs: 0, text: api === "tei" ? "[]" : JSON.stringify(api === "nim" ? { rankings: [] } : { results: [] }) }],
      });
      expect((await runAgainst(server.url, type, false, { prompt: PROMPT })).error?.type).toBe("empty_response");
      next = () => ({ contentType: "application/json", frames: [{ afterMs: 0, text: JSON.stringify({ data: [] }) }] });
      expect((await runAgainst(server.url, type, false, { prompt: PROMPT })).error?.type).toBe("malformed_response");
      next = () => rerankError(api);
      const rec = await runAgainst(server.url, type, false, { prompt: PROMPT });
      expect(rec.error?.type).toBe("http_error");
      expect(rec.error?.message).toBe(
        api === "nim"
          ? "HTTP 400: Input validation error: passages must not be empty"
          : api === "tei"
            ? "HTTP 422: Input validation error: `texts` cannot be empty"
            : "HTTP 400: invalid request: list of documents must not be empty",
      );
    });
  }
});
