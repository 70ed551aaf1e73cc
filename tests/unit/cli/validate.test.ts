import { describe, expect, test } from "bun:test";
import { type } from "arktype";
import { validateFlags } from "../../../src/config/validate.ts";
import { UsageError } from "../../../src/runtime/usage-error.ts";
import { baseUrl, percent, positiveInt } from "../../../src/config/common-types.ts";

const schema = type({ url: baseUrl, requestCount: positiveInt, faultPct: percent, mode: "'a' | 'b'", model: "string > 0" });

function problems(values: Record<string, string>, extra: string[] = []): string[] {
  try {
    validateFlags(schema, values, extra);
  } catch (e) {
    if (e instanceof UsageError) return e.problems;
    throw e;
  }
  return [];
}

describe("validateFlags", () => {
  test("converts and returns typed values", () => {
    const out = validateFlags(schema, { url: "localhost:8000/", "request-count": "12", "fault-pct": "2.5", mode: "a", model: "m" });
    expect(out).toEqual({ url: "http://localhost:8000", requestCount: 12, faultPct: 2.5, mode: "a", model: "m" });
  });

  test("every problem, one line each, named by flag", () => {
    const p = problems({ url: "ftp://x", "request-count": "0", "fault-pct": "101", mode: "c" }, ["unknown flag --zz"]);
    expect(p).toContain("unknown flag --zz");
    expect(p).toContain('--url must be an http or https URL (was "ftp://x")');
    expect(p).toContain("--request-count must be at least 1 (was 0)");
    expect(p).toContain("--fault-pct must be at most 100 (was 101)");
    expect(p).toContain('--mode must be "a" or "b" (was "c")');
    expect(p).toContain("--model is required");
    expect(p.length).toBe(6);
    for (const line of p) expect(line).not.toContain("\n");
  });

  test("non-numeric integer", () => {
    expect(problems({ url: "http://h", "request-count": "ten", "fault-pct": "1", mode: "a", model: "m" })).toEqual([
      '--request-count must be a well-formed integer string (was "ten")',
    ]);
  });
});
