// --url as people paste it: a base URL, the OpenAI SDK's base URL (ends in /v1), a whole endpoint URL.
import { describe, expect, test } from "bun:test";
import { endpointUrl, modelsUrl } from "../../../src/client/endpoint-url.ts";
import type { EndpointType } from "../../../src/client/request-body.ts";

type Row = [given: string, type: EndpointType, custom: string | undefined, url: string, note: RegExp | null];

describe("endpointUrl", () => {
  test.each<Row>([
    ["http://h:8000", "chat", undefined, "http://h:8000/v1/chat/completions", null],
    ["http://h:8000/", "chat", undefined, "http://h:8000/v1/chat/completions", null],
    [
      "http://h:8000/v1",
      "chat",
      undefined,
      "http://h:8000/v1/chat/completions",
      /^--url http:\/\/h:8000\/v1 ends in \/v1 .*using http:\/\/h:8000 as the base URL/,
    ],
    ["http://h:8000/v1/", "completions", undefined, "http://h:8000/v1/completions", /ends in \/v1/],
    [
      "http://h:8000/v1/chat/completions",
      "chat",
      undefined,
      "http://h:8000/v1/chat/completions",
      /is the whole endpoint URL: using http:\/\/h:8000 as the base URL/,
    ],
    ["http://h:8000/v1/embeddings/", "embeddings", undefined, "http://h:8000/v1/embeddings", /whole endpoint URL/],
    ["https://gw.example/proxy/v1", "chat", undefined, "https://gw.example/proxy/v1/chat/completions", /using https:\/\/gw.example\/proxy as the base URL/],
    ["https://gw.example/proxy", "chat", undefined, "https://gw.example/proxy/v1/chat/completions", null],
    // The host named v1 is not a path.
    ["http://v1", "chat", undefined, "http://v1/v1/chat/completions", null],
    ["http://h/apiv1", "chat", undefined, "http://h/apiv1/v1/chat/completions", null],
    // A custom path not under /v1 keeps a /v1 base (the server may really live there).
    ["http://h/v1", "chat", "/generate", "http://h/v1/generate", null],
    ["http://h/v1", "chat", "v1/chat/completions", "http://h/v1/chat/completions", /ends in \/v1/],
  ])("%s (%s, --endpoint %s) -> %s", (given, type, custom, url, note) => {
    const r = endpointUrl(given, type, custom);
    expect(r.url).toBe(url);
    expect(r.problem).toBeNull();
    if (note === null) expect(r.note).toBeNull();
    else expect(r.note ?? "").toMatch(note);
  });

  test.each<[string, EndpointType, RegExp]>([
    [
      "http://h:8000/v1/completions",
      "chat",
      /^--url http:\/\/h:8000\/v1\/completions is the completions endpoint, but --endpoint-type chat sends to \/v1\/chat\/completions: give the base URL http:\/\/h:8000 /,
    ],
    ["http://h:8000/v1/chat/completions", "completions", /is the chat endpoint, but --endpoint-type completions sends to \/v1\/completions/],
    ["http://h:8000/v1/embeddings", "chat", /is the embeddings endpoint/],
  ])("%s with --endpoint-type %s is refused naming both", (given, type, problem) => {
    const r = endpointUrl(given, type);
    expect(r.problem ?? "").toMatch(problem);
    expect(r.problem).not.toContain("\n");
    expect(r.note).toBeNull();
  });

  test("credentials in the URL are kept for sending and never shown in the note", () => {
    const r = endpointUrl("http://user:pw-Secret9@h:8000/v1", "chat");
    expect(r.url).toBe("http://user:pw-Secret9@h:8000/v1/chat/completions");
    expect(r.note).toContain("http://h:8000");
    expect(r.note).not.toContain("pw-Secret9");
    const p = endpointUrl("http://user:pw-Secret9@h:8000/v1/completions", "chat");
    expect(p.problem).toContain("http://h:8000");
    expect(p.problem).not.toContain("pw-Secret9");
  });
});

test.each<[string, EndpointType, string | undefined, string]>([
  ["http://h:8000/v1/chat/completions", "chat", undefined, "http://h:8000/v1/models"],
  ["https://gw/proxy/v1/completions", "completions", undefined, "https://gw/proxy/v1/models"],
  ["http://h/generate", "chat", "/generate", "http://h/v1/models"],
])("modelsUrl(%s, %s, %s) = %s", (url, type, custom, want) => {
  expect(modelsUrl(url, type, custom)).toBe(want);
});
