// What the pre-flight's answers mean: one line per problem with the likely fix, no secret, no control
// character, and a server's text cut short.
import { describe, expect, test } from "bun:test";
import {
  listedModels,
  parseModelListing,
  probeVerdict,
  servedModel,
  type ModelListing,
  type ProbeAnswer,
  type ProbeContext,
} from "../../../src/client/preflight-verdicts.ts";
import { SecretScrubber } from "../../../src/record/safe-text.ts";

const KEY = "sk-test-Qx81Lw0p";
const scrubber = new SecretScrubber([KEY]);
const URL_ = "http://h:8000/v1/chat/completions";
const LIST: ModelListing = { kind: "list", ids: ["m"] };
const NONE: ModelListing = { kind: "none", status: 404, why: "answered HTTP 404" };

describe("parseModelListing", () => {
  test.each<[number, string, ModelListing]>([
    [200, JSON.stringify({ object: "list", data: [{ id: "a" }, { id: "b" }] }), { kind: "list", ids: ["a", "b"] }],
    [200, JSON.stringify({ data: [] }), { kind: "list", ids: [] }],
    [200, JSON.stringify({ data: [{ id: "a" }, { id: 3 }, null, { name: "x" }] }), { kind: "list", ids: ["a"] }],
    [404, "Not Found", { kind: "none", status: 404, why: "answered HTTP 404" }],
    [405, "", { kind: "none", status: 405, why: "answered HTTP 405" }],
    [401, "{}", { kind: "none", status: 401, why: "answered HTTP 401 (check --api-key)" }],
    [200, "<html>", { kind: "none", status: 200, why: "answered HTTP 200 without a JSON model list" }],
    [200, "{}", { kind: "none", status: 200, why: 'answered HTTP 200 without a model list (no "data" array)' }],
  ])("%d %s", (status, body, want) => {
    expect(parseModelListing(status, body)).toEqual(want);
  });
});

test("listedModels: at most ten names, then a count; names made printable", () => {
  const ids = Array.from({ length: 13 }, (_, i) => `m${i}`);
  expect(listedModels(ids, scrubber)).toBe("m0, m1, m2, m3, m4, m5, m6, m7, m8, m9 and 3 more");
  expect(listedModels(["a\x1b[2Jb", `x${KEY}`], scrubber)).toBe("a\\x1b[2Jb, x<redacted>");
});

describe("servedModel (no --model)", () => {
  const pick = (l: ModelListing) => servedModel(l, "http://h:8000", "http://h:8000/v1/models", scrubber);
  test("one listed model is used, with a note", () => {
    expect(pick({ kind: "list", ids: ["Qwen/Qwen3-0.6B"] })).toEqual({
      model: "Qwen/Qwen3-0.6B",
      note: "--model not given: using Qwen/Qwen3-0.6B, the one model http://h:8000 serves",
    });
  });
  test.each<[ModelListing, string]>([
    [{ kind: "list", ids: ["a", "b"] }, "--model is required: http://h:8000 serves 2 models: a, b"],
    [{ kind: "list", ids: [] }, "--model is required: http://h:8000 lists no models at /v1/models"],
    [NONE, "--model is required: GET http://h:8000/v1/models answered HTTP 404, so the model to use is not known"],
  ])("%j -> one problem", (listing, problem) => {
    expect(pick(listing)).toEqual({ problem });
  });
});

const answer = (over: Partial<ProbeAnswer>): ProbeAnswer => ({
  url: URL_,
  status: 200,
  contentType: "application/json",
  location: null,
  bodyHead: "",
  error: null,
  ...over,
});
const ctx = (over: Partial<ProbeContext> = {}): ProbeContext => ({
  model: "m",
  streaming: false,
  credentialsGiven: false,
  server: "http://h:8000",
  listing: LIST,
  scrubber,
  ...over,
});
const httpError = (status: number, message: string) => ({ code: status, type: "http_error", message: `HTTP ${status}: ${message}` });

describe("probeVerdict", () => {
  test("a readable answer from a server listing the model: go on", () => {
    expect(probeVerdict(answer({}), ctx())).toEqual({ kind: "ok" });
    expect(probeVerdict(answer({ contentType: "text/event-stream" }), ctx({ streaming: true, listing: NONE }))).toEqual({ kind: "ok" });
  });

  test.each<[string, ProbeAnswer, Partial<ProbeContext>, "fail" | "warn", RegExp]>([
    [
      "an HTML page",
      answer({
        contentType: "text/html; charset=utf-8",
        bodyHead: "<!DOCTYPE html>\n<html><head><title>Open WebUI</title>",
        error: { code: 0, type: "malformed_response", message: "not JSON" },
      }),
      {},
      "fail",
      /^pre-flight request to http:\/\/h:8000\/v1\/chat\/completions got an HTML page \(HTTP 200, text\/html; charset=utf-8: "<!DOCTYPE html> <html><head><title>Open WebUI<\/title>"\); --url must be the API server's base URL/,
    ],
    [
      "an HTML error page",
      answer({ status: 502, contentType: "text/html", bodyHead: "<html>bad gateway</html>", error: httpError(502, "<html>bad gateway</html>") }),
      {},
      "fail",
      /got an HTML page \(HTTP 502, text\/html/,
    ],
    [
      "401 without a key",
      answer({ status: 401, error: httpError(401, "Unauthorized") }),
      {},
      "fail",
      /: HTTP 401: Unauthorized; the server wants an API key: give --api-key KEY$/,
    ],
    [
      "401 with a key",
      answer({ status: 401, error: httpError(401, `Incorrect API key provided: ${KEY}`) }),
      { credentialsGiven: true },
      "fail",
      /HTTP 401: Incorrect API key provided: <redacted>; the server refused the credentials given/,
    ],
    [
      "403",
      answer({ status: 403, error: httpError(403, "Forbidden") }),
      { credentialsGiven: true },
      "fail",
      /HTTP 403: Forbidden; the server refused the credentials given/,
    ],
    [
      "404 on /v1/v1",
      answer({ url: "http://h:8000/v1/v1/chat/completions", status: 404, error: httpError(404, "Not Found") }),
      { listing: NONE },
      "fail",
      /HTTP 404: Not Found; --url should not end in \/v1$/,
    ],
    [
      "405 on /v1/v1",
      answer({ url: "http://h:8000/v1/v1/chat/completions", status: 405, error: httpError(405, "POST not allowed") }),
      { listing: NONE },
      "fail",
      /HTTP 405: POST not allowed; --url should not end in \/v1$/,
    ],
    [
      "404",
      answer({ status: 404, error: httpError(404, "Not Found") }),
      { listing: NONE },
      "fail",
      /HTTP 404: Not Found; no such endpoint there: --url must be the server's base URL/,
    ],
    ["405", answer({ status: 405, error: httpError(405, "Method Not Allowed") }), { listing: NONE }, "fail", /that path does not take POST/],
    [
      "a redirect",
      answer({ status: 301, location: "https://h/v1/chat/completions", error: httpError(301, "") }),
      {},
      "fail",
      /HTTP 301 redirect to https:\/\/h\/v1\/chat\/completions; give the URL it points to as --url$/,
    ],
    [
      "400",
      answer({ status: 400, error: httpError(400, "max_tokens is too large") }),
      {},
      "fail",
      /HTTP 400: max_tokens is too large; the server refused the request the benchmark would send/,
    ],
    ["503: maybe still starting", answer({ status: 503, error: httpError(503, "loading") }), {}, "warn", /HTTP 503: loading; going on/],
    [
      "a wrong content type",
      answer({ contentType: "text/plain", bodyHead: "hello there", error: { code: 0, type: "malformed_response", message: "not JSON: hello there" } }),
      {},
      "fail",
      /the answer \(HTTP 200, text\/plain: "hello there"\) is not one the benchmark can read: not JSON: hello there$/,
    ],
    [
      "JSON to a streaming request",
      answer({ bodyHead: "{}", error: { code: 0, type: "incomplete_response", message: "stream ended without data: [DONE]" } }),
      { streaming: true },
      "fail",
      /stream ended without data: \[DONE\]; the server did not stream: drop --streaming/,
    ],
    [
      "a stream to a non-streaming request",
      answer({ contentType: "text/event-stream", bodyHead: "data: {}", error: { code: 0, type: "malformed_response", message: "not JSON" } }),
      {},
      "fail",
      /; the server streamed: add --streaming$/,
    ],
    [
      "no answer",
      answer({ status: 0, contentType: null, error: { code: 0, type: "connection_error", message: "socket closed" } }),
      {},
      "fail",
      /^pre-flight request to \S+ failed: socket closed$/,
    ],
    [
      "an unlisted model refused",
      answer({ status: 404, error: httpError(404, "The model `x` does not exist.") }),
      { model: "x", listing: { kind: "list", ids: ["a", "b"] } },
      "fail",
      /^--model x is not served by http:\/\/h:8000; it lists a, b \(GET \/v1\/models\)$/,
    ],
    [
      "an unlisted model answered (an alias)",
      answer({}),
      { model: "llama3", listing: { kind: "list", ids: ["llama3:latest"] } },
      "warn",
      /^--model llama3 is not in the list of http:\/\/h:8000 \(llama3:latest\), but the server answered it; going on$/,
    ],
    [
      "an unlisted model, but the key is refused: the key first",
      answer({ status: 401, error: httpError(401, "no") }),
      { model: "x" },
      "fail",
      /HTTP 401: no; the server wants an API key/,
    ],
  ])("%s", (_name, a, c, kind, line) => {
    const v = probeVerdict(a, ctx(c));
    expect(v.kind).toBe(kind);
    const text = v.kind === "ok" ? "" : v.line;
    expect(text).toMatch(line);
    expect([...text].filter((ch) => ch < " " || ch === "\x7f")).toEqual([]);
    expect(text).not.toContain(KEY);
  });

  test("a server's text is cut to one short line", () => {
    const v = probeVerdict(answer({ status: 500, error: httpError(500, `${"x".repeat(500)}\r\n\x1b]0;title\x07`) }), ctx());
    expect(v.kind).toBe("warn");
    const line = v.kind === "warn" ? v.line : "";
    expect(line.length).toBeLessThan(250);
    expect(line).toContain("…[cut]");
  });
});
