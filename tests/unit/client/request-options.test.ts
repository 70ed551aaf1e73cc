// --use-legacy-max-tokens (the body) and the X-Correlation-ID / --session-header header.
import { describe, expect, test } from "bun:test";
import { requestBody } from "../../../src/client/request-body.ts";
import { requestHeaders } from "../../../src/client/request-headers.ts";

const chat = { endpointType: "chat" as const, model: "m", prompt: "hi", streaming: false, includeUsage: true, extra: {} };

describe("chat output limit", () => {
  test("max_completion_tokens by default, as AIPerf", () => {
    const body = requestBody({ ...chat, maxTokens: 64 });
    expect(body.max_completion_tokens).toBe(64);
    expect("max_tokens" in body).toBe(false);
  });

  test("--use-legacy-max-tokens sends max_tokens instead", () => {
    const body = requestBody({ ...chat, maxTokens: 64, legacyMaxTokens: true });
    expect(body.max_tokens).toBe(64);
    expect("max_completion_tokens" in body).toBe(false);
  });

  test("no limit, no field either way", () => {
    const body = requestBody({ ...chat, maxTokens: null, legacyMaxTokens: true });
    expect(Object.keys(body).filter((k) => k.startsWith("max_"))).toEqual([]);
  });
});

describe("correlation header", () => {
  const base = { streaming: false, configured: {}, urlAuthorization: null, requestId: "r1" };

  test("the session's id goes out under the configured header name", () => {
    expect(requestHeaders({ ...base, correlation: { header: "X-Correlation-ID", id: "c1" } })["x-correlation-id"]).toBe("c1");
    const custom = requestHeaders({ ...base, correlation: { header: "X-Session-ID", id: "c2" } });
    expect(custom["x-session-id"]).toBe("c2");
    expect(custom["x-correlation-id"]).toBeUndefined();
  });

  test("without one, no header", () => {
    expect(Object.keys(requestHeaders(base)).filter((k) => k.includes("correlation"))).toEqual([]);
  });
});
