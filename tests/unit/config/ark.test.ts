// arktype as this project loads it: jitless (schemas validate once per command; see src/config/ark.ts),
// with the same verdicts and messages as compiled validators.
import { describe, expect, test } from "bun:test";
import { ark, lazy } from "../../../src/config/ark.ts";

describe("ark()", () => {
  test("one module, configured jitless before its first type", () => {
    const a = ark();
    expect(ark()).toBe(a);
    const t = a.type("string > 0");
    expect((t as unknown as { $: { resolvedConfig: { jitless: boolean } } }).$.resolvedConfig.jitless).toBe(true);
  });

  test("jitless validators still check, convert and say what is wrong", () => {
    const t = ark().type({ n: "string.integer.parse", "name?": "string > 0" });
    expect(t({ n: "42" })).toEqual({ n: 42 });
    const bad = t({ n: "4.2", name: "" });
    expect(bad instanceof ark().type.errors).toBe(true);
    const lines = (bad as InstanceType<ReturnType<typeof ark>["type"]["errors"]>).map((e) => e.message);
    expect(lines.length).toBe(2);
    expect(lines.join("\n")).toContain("must be a well-formed integer string");
    expect(lines.join("\n")).toContain("must be non-empty");
  });
});

describe("lazy()", () => {
  test("builds on first call only", () => {
    let builds = 0;
    const get = lazy(() => ++builds);
    expect(builds).toBe(0);
    expect([get(), get()]).toEqual([1, 1]);
    expect(builds).toBe(1);
  });
});
