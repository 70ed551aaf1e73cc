import { describe, expect, test } from "bun:test";
import { epochNs } from "../../../src/runtime/clock.ts";
import { sleepUntilShortlyBefore, startInstant } from "../../../src/run/start-gate.ts";

describe("startInstant", () => {
  test.each([
    ["ready in time: the instant itself", 1_000_000_000, 500_000_000, { startNs: 1_000_000_000, lagNs: 0 }],
    ["ready just in time: still the instant", 1_000_000_000, 980_000_000, { startNs: 1_000_000_000, lagNs: 0 }],
    ["too late to post it ahead: as soon as the workers can have it", 1_000_000_000, 990_000_000, { startNs: 1_010_000_000, lagNs: 10_000_000 }],
    ["long after", 1_000_000_000, 5_000_000_000, { startNs: 5_020_000_000, lagNs: 4_020_000_000 }],
  ])("%s", (_, atNs, nowNs, want) => {
    expect(startInstant(atNs, nowNs, 20_000_000)).toEqual(want);
  });
});

describe("sleepUntilShortlyBefore", () => {
  test("an instant already past: no wait", async () => {
    expect(await sleepUntilShortlyBefore(epochNs() - 5e9, () => false)).toBe(true);
  });

  test("Ctrl-C during a long wait ends it (false), days before the instant", async () => {
    let cancelled = false;
    setTimeout(() => {
      cancelled = true;
    }, 50);
    expect(await sleepUntilShortlyBefore(epochNs() + 3 * 86_400e9, () => cancelled)).toBe(false);
  });
});
