import { describe, expect, test } from "bun:test";
import type { ErrorCount } from "../../../src/metrics/summary.ts";
import { errorPattern, groupErrors, MAX_ERROR_GROUPS } from "../../../src/report/error-groups.ts";

describe("errorPattern masks what varies per request", () => {
  const cases: [string, string][] = [
    ["request 3f2b9c1e-8a7d-4e6f-9b0a-1c2d3e4f5a6b failed", "request <uuid> failed"],
    ["Request id 1234567 not found", "Request id <n> not found"],
    ["request 17 of 2000 timed out after 10.5 s", "request <n> of <n> timed out after <n> s"],
    ["bad pointer 0xdeadbeef", "bad pointer <hex>"],
    ["completion chatcmpl-9f8e7d6c5b4a rejected", "completion chatcmpl-<id> rejected"],
    ["trace a1b2c3d4e5f6a7b8 dropped", "trace <id> dropped"],
    ["req_12345: overloaded", "req_<n>: overloaded"],
    ["Internal Server Error", "Internal Server Error"],
    ["connection reset by peer (ECONNRESET)", "connection reset by peer (ECONNRESET)"],
  ];
  test.each(cases)("%s", (message, want) => {
    expect(errorPattern(message)).toBe(want);
  });
});

const err = (code: number, type: string, message: string, count = 1): ErrorCount => ({ error: { code, type, message }, count });

describe("groupErrors", () => {
  test("2,000 messages that differ only in their request id are one group with one example", () => {
    const errors = Array.from({ length: 2000 }, (_, i) => err(500, "http_error", `upstream failed for request ${crypto.randomUUID()} (attempt ${i})`));
    const g = groupErrors(errors);
    expect(g.shown.length).toBe(1);
    expect(g.shown[0]!.count).toBe(2000);
    expect(g.shown[0]!.example).toBe(errors[0]!.error.message);
    expect(g.moreKinds).toBe(0);
  });

  test("code and type still separate groups; largest first, ties in order of first appearance", () => {
    const g = groupErrors([
      err(429, "http_error", "slow down", 3),
      err(500, "http_error", "id 1 failed"),
      err(503, "http_error", "id 2 failed"),
      err(500, "http_error", "id 3 failed"),
    ]);
    expect(g.shown.map((x) => [x.code, x.pattern, x.count])).toEqual([
      [429, "slow down", 3],
      [500, "id <n> failed", 2],
      [503, "id <n> failed", 1],
    ]);
  });

  test(`at most ${MAX_ERROR_GROUPS} groups; the rest counted`, () => {
    const kinds = ["timeout", "reset", "refused", "malformed", "eof", "stall", "tls", "dns", "429", "500", "502", "503"];
    const errors = kinds.map((k, i) => err(0, k, `failed: ${k}`, 20 - i));
    const g = groupErrors(errors);
    expect(g.shown.length).toBe(MAX_ERROR_GROUPS);
    expect(g.shown[0]!.type).toBe("timeout");
    expect(g.moreKinds).toBe(2);
    expect(g.moreRequests).toBe(20 - 10 + (20 - 11));
  });
});
