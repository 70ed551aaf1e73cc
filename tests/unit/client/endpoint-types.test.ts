// Request URLs of the endpoint types beyond OpenAI's: TGI's path follows --streaming, a pasted TGI
// endpoint URL is taken back to its base, template sends to the --url as given.
import { expect, test } from "bun:test";
import { ENDPOINT_INFO, ENDPOINT_TYPES } from "../../../src/client/endpoint-types.ts";
import { endpointUrl } from "../../../src/client/endpoint-url.ts";

test.each([
  ["http://h:8080", "huggingface_generate", false, "http://h:8080/generate", null],
  ["http://h:8080", "huggingface_generate", true, "http://h:8080/generate_stream", null],
  ["http://h:8080/generate", "huggingface_generate", true, "http://h:8080/generate_stream", "is the whole endpoint URL"],
  ["http://h:8080", "messages", false, "http://h:8080/v1/messages", null],
  ["http://h:8080/v1", "responses", true, "http://h:8080/v1/responses", "ends in /v1"],
  ["http://h:8080", "cohere_rankings", false, "http://h:8080/v2/rerank", null],
  ["http://h:8080/custom/run/", "template", true, "http://h:8080/custom/run/", null],
] as const)("%s with %s (streaming %p) -> %s", (url, type, streaming, want, note) => {
  const r = endpointUrl(url, type, undefined, streaming);
  expect(r.url).toBe(want);
  expect(r.problem).toBeNull();
  if (note === null) expect(r.note).toBeNull();
  else expect(r.note).toContain(note);
});

test("a reranker's path given for chat is refused naming the reranker", () => {
  expect(endpointUrl("http://h:8080/v1/ranking", "chat").problem).toContain("is the nim_rankings endpoint");
});

test("every type that streams produces tokens; rerankers and embeddings neither stream nor produce tokens", () => {
  const table = ENDPOINT_TYPES.map((t) => [t, ENDPOINT_INFO[t].streams, ENDPOINT_INFO[t].producesTokens]);
  expect(table).toEqual([
    ["chat", true, true],
    ["completions", true, true],
    ["embeddings", false, false],
    ["responses", true, true],
    ["messages", true, true],
    ["huggingface_generate", true, true],
    ["nim_rankings", false, false],
    ["hf_tei_rankings", false, false],
    ["cohere_rankings", false, false],
    ["template", true, true],
  ]);
});
