import { describe, expect, test } from "bun:test";
import { epochNs } from "../../../src/runtime/clock.ts";
import { SPIN_WINDOW_NS, waitUntilNs } from "../../../src/schedule/precise-wait.ts";

/** A fake clock whose sleeps and yields advance time; records what the waiter did and when. */
function fakeTimers(sleepLateNs: number, yieldStepNs: number) {
  let t = 0;
  const sleeps: { ms: number; remainingNs: number }[] = [];
  const yieldRemainingNs: number[] = [];
  return {
    sleeps,
    yieldRemainingNs,
    nowNs: () => t,
    deps: (targetNs: number) => ({
      now: () => t,
      sleepMs: async (ms: number) => {
        sleeps.push({ ms, remainingNs: targetNs - t });
        t += ms * 1e6 + sleepLateNs;
      },
      yieldTurn: async () => {
        yieldRemainingNs.push(targetNs - t);
        t += yieldStepNs;
      },
    }),
  };
}

describe("waitUntilNs (fake clock)", () => {
  const targets = [1, 400_000, SPIN_WINDOW_NS, SPIN_WINDOW_NS + 1, 1_600_000, 2_600_000, 10_000_000, 1_000_000_000];
  const lateness = [0, 100_000, 250_000];
  const yieldStepNs = 1_500;
  for (const targetNs of targets) {
    for (const lateNs of lateness) {
      test(`target ${targetNs} ns, setTimeout ${lateNs} ns late`, async () => {
        const f = fakeTimers(lateNs, yieldStepNs);
        await waitUntilNs(targetNs, f.deps(targetNs));
        // Never early, and done within one yield turn of the target.
        expect(f.nowNs()).toBeGreaterThanOrEqual(targetNs);
        expect(f.nowNs() - targetNs).toBeLessThan(yieldStepNs);
        // Sleeps only while outside the window, in whole ms of at least 1.
        for (const s of f.sleeps) {
          expect(s.remainingNs).toBeGreaterThan(SPIN_WINDOW_NS);
          expect(Number.isInteger(s.ms)).toBe(true);
          expect(s.ms).toBeGreaterThanOrEqual(1);
        }
        // Yields only within the window, and only while the target is ahead.
        for (const r of f.yieldRemainingNs) {
          expect(r).toBeLessThanOrEqual(SPIN_WINDOW_NS);
          expect(r).toBeGreaterThan(0);
        }
        // The long part is slept in a couple of big steps, not many small ones.
        expect(f.sleeps.length).toBeLessThanOrEqual(3);
        if (targetNs > SPIN_WINDOW_NS) expect(f.sleeps.length).toBeGreaterThanOrEqual(1);
        else expect(f.sleeps.length).toBe(0);
      });
    }
  }

  test("a 1 s wait sleeps almost all of it: first sleep is the whole ms outside the window", async () => {
    const f = fakeTimers(0, 1_500);
    await waitUntilNs(1_000_000_000, f.deps(1_000_000_000));
    expect(f.sleeps[0]?.ms).toBe(998);
  });

  test("a custom spin window is honoured", async () => {
    const f = fakeTimers(0, 1_000);
    const targetNs = 50_000_000;
    await waitUntilNs(targetNs, f.deps(targetNs), 5_000_000);
    expect(f.sleeps[0]?.ms).toBe(45);
    for (const r of f.yieldRemainingNs) expect(r).toBeLessThanOrEqual(5_000_000);
  });

  for (const pastNs of [0, -1, -1e9]) {
    test(`target ${pastNs} ns relative to now: resolves without sleeping or yielding`, async () => {
      const f = fakeTimers(0, 1_500);
      await waitUntilNs(pastNs, f.deps(pastNs));
      expect(f.sleeps).toEqual([]);
      expect(f.yieldRemainingNs).toEqual([]);
      expect(f.nowNs()).toBe(0);
    });
  }
});

describe("waitUntilNs (real clock)", () => {
  test("does not resolve before the target", async () => {
    const targetNs = epochNs() + 3_000_000;
    await waitUntilNs(targetNs);
    expect(epochNs()).toBeGreaterThanOrEqual(targetNs);
  });

  test("a past target resolves before the next macrotask", async () => {
    const winner = await Promise.race([
      waitUntilNs(epochNs() - 1_000_000).then(() => "wait"),
      new Promise<string>((resolve) => setImmediate(() => resolve("immediate"))),
    ]);
    expect(winner).toBe("wait");
  });
});
