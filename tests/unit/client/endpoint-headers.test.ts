// --api-key per endpoint type: Bearer for the OpenAI-style APIs, x-api-key plus anthropic-version for
// Anthropic's Messages API; either way the key is a secret (scrubbed, redacted in stored configs).
import { describe, expect, test } from "bun:test";
import { endpointHeaders } from "../../../src/client/request-headers.ts";
import { requestSecrets } from "../../../src/client/request-secrets.ts";
import { redactedConfig } from "../../../src/config/profile-config.ts";
import { testProfileConfig } from "../../helpers/profile-config.ts";

describe("endpointHeaders", () => {
  test.each([
    ["chat", "k", {}, { authorization: "Bearer k" }],
    ["huggingface_generate", "k", {}, { authorization: "Bearer k" }],
    ["chat", undefined, {}, {}],
    ["messages", "k", {}, { "x-api-key": "k", "anthropic-version": "2023-06-01" }],
    ["messages", undefined, {}, { "anthropic-version": "2023-06-01" }],
    // -H headers win.
    ["messages", "k", { "anthropic-version": "2024-01-01", "x-api-key": "h" }, {}],
  ] as const)("%s with key %p and -H %p", (type, key, given, want) => {
    expect(endpointHeaders(type, key, { ...given })).toEqual(want);
  });
});

test("messages: the key goes out as x-api-key, is a secret, and is redacted in the stored config", () => {
  const cfg = testProfileConfig("http://127.0.0.1:9", { endpointType: "messages", apiKey: "sk-ant-123" });
  expect(cfg.headers).toEqual({ "x-api-key": "sk-ant-123", "anthropic-version": "2023-06-01" });
  expect(requestSecrets(cfg.headers, cfg.urls)).toEqual(["sk-ant-123"]);
  expect(redactedConfig(cfg).headers).toEqual({ "x-api-key": "<redacted>", "anthropic-version": "2023-06-01" });
});
