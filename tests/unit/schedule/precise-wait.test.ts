import { describe, expect, test } from "bun:test";
import { epochNs } from "../../../src/runtime/clock.ts";
import { MAX_TIMER_MS } from "../../../src/runtime/long-timer.ts";
import {
  MIN_NAP_NS,
  NAP_MARGIN_NS,
  NAP_SLICE_NS,
  SPIN_SLICE_NS,
  SPIN_WINDOW_NS,
  nappedNsSoFar,
  spunNsSoFar,
  waitUntilNs,
} from "../../../src/schedule/precise-wait.ts";
import { countTurns } from "../../helpers/turn-counter.ts";

/** A fake clock whose sleeps and yields advance time; records what the waiter did and when. */
function fakeTimers(sleepLateNs: number, yieldStepNs: number) {
  let t = 0;
  const sleeps: { ms: number; remainingNs: number }[] = [];
  const yieldRemainingNs: number[] = [];
  const spins: { fromNs: number; untilNs: number }[] = [];
  return {
    spins,
    sleeps,
    yieldRemainingNs,
    nowNs: () => t,
    deps: (targetNs: number) => ({
      now: () => t,
      sleepMs: async (ms: number) => {
        sleeps.push({ ms, remainingNs: targetNs - t });
        t += ms * 1e6 + sleepLateNs;
      },
      yieldTurn: (fn: () => void) => {
        yieldRemainingNs.push(targetNs - t);
        t += yieldStepNs;
        queueMicrotask(fn);
      },
      spinUntil: (ns: number) => {
        spins.push({ fromNs: t, untilNs: ns });
        t = Math.max(t, ns);
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
        // Sleeps only whole ms (at least 1) that still leave the window for the timer's lateness.
        for (const s of f.sleeps) {
          expect(s.remainingNs).toBeGreaterThanOrEqual(SPIN_WINDOW_NS + 1_000_000);
          expect(s.remainingNs - s.ms * 1e6).toBeGreaterThanOrEqual(SPIN_WINDOW_NS);
          expect(Number.isInteger(s.ms)).toBe(true);
          expect(s.ms).toBeGreaterThanOrEqual(1);
        }
        // Yields only within the window (plus a remainder under 1 ms), and only while the target is ahead.
        for (const r of f.yieldRemainingNs) {
          expect(r).toBeLessThan(SPIN_WINDOW_NS + 1_000_000);
          expect(r).toBeGreaterThan(0);
        }
        // Synchronous spins are short slices (sockets get a turn between them) and end on the target;
        // the timer's lateness never eats the window, so the last stretch is always spun.
        expect(f.spins.length).toBeGreaterThan(0);
        expect(f.yieldRemainingNs.length).toBe(f.spins.length - 1);
        for (const sp of f.spins) {
          expect(sp.untilNs - sp.fromNs).toBeLessThanOrEqual(SPIN_SLICE_NS);
          expect(sp.untilNs).toBeLessThanOrEqual(targetNs);
        }
        expect(f.spins.at(-1)!.untilNs).toBe(targetNs);
        expect(f.nowNs()).toBe(targetNs);
        // The long part is slept in a couple of big steps, not many small ones.
        expect(f.sleeps.length).toBeLessThanOrEqual(3);
        if (targetNs >= SPIN_WINDOW_NS + 1_000_000) expect(f.sleeps.length).toBeGreaterThanOrEqual(1);
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
    expect(f.yieldRemainingNs.length).toBeGreaterThan(0);
    for (const r of f.yieldRemainingNs) expect(r).toBeLessThanOrEqual(5_000_000);
  });

  test("a target 3e9 ms away sleeps in chunks setTimeout honours, and ends on the target", async () => {
    const f = fakeTimers(0, 1_500);
    const targetNs = 3e9 * 1e6;
    await waitUntilNs(targetNs, f.deps(targetNs));
    expect(f.sleeps.map((s) => s.ms)).toEqual([MAX_TIMER_MS, 3e9 - MAX_TIMER_MS - 2]);
    expect(f.nowNs()).toBe(targetNs);
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

test("each turn between slices hands the event loop the same callback: nothing is made per turn", async () => {
  let t = 0;
  const turns: (() => void)[] = [];
  await waitUntilNs(1_000_000, {
    now: () => t,
    sleepMs: async () => {},
    spinUntil: (ns) => {
      t = ns;
    },
    yieldTurn: (fn) => {
      turns.push(fn);
      t += 1_000;
      queueMicrotask(fn);
    },
  });
  expect(turns.length).toBeGreaterThan(10);
  expect(new Set(turns).size).toBe(1);
});

describe("waitUntilNs (real clock)", () => {
  test("the default turn between slices is an event-loop turn: other immediates run between them", async () => {
    // The clock is fake (each slice spins exactly SPIN_SLICE_NS of it), the turns are the real ones.
    let t = 0;
    const counter = countTurns();
    await waitUntilNs(1_000_000, {
      now: () => t,
      spinUntil: (ns) => {
        t = ns;
      },
    });
    counter.stop();
    // 50 slices, 49 turns between them: the other work's immediate runs in each.
    expect(counter.turns).toBeGreaterThanOrEqual(49);
  });

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

describe("spunNsSoFar", () => {
  test("grows by the time spent spinning, not by the sleeps or the turns between spins", async () => {
    const yieldStepNs = 1_500;
    const f = fakeTimers(0, yieldStepNs);
    const targetNs = 10_000_000;
    const before = spunNsSoFar();
    await waitUntilNs(targetNs, f.deps(targetNs));
    const spun = spunNsSoFar() - before;
    const spinTotal = f.spins.reduce((sum, s) => sum + (s.untilNs - s.fromNs), 0);
    expect(f.spins.length).toBeGreaterThan(10);
    expect(spun).toBe(spinTotal);
    // The window was spun, less the turns between its slices; the ~8.5 ms slept before it is not counted.
    expect(spun).toBeGreaterThan(SPIN_WINDOW_NS - f.spins.length * yieldStepNs);
    expect(spun).toBeLessThanOrEqual(SPIN_WINDOW_NS + 1_000_000);
  });
});

describe("waitUntilNs while others need the core (yieldCore)", () => {
  /** fakeTimers plus naps that advance the clock by what was asked and `napLateNs` more. */
  function napping(napLateNs: number, yieldCore: () => boolean) {
    const f = fakeTimers(100_000, 1_500);
    const naps: { fromNs: number; ns: number }[] = [];
    const deps = (targetNs: number) => ({
      ...f.deps(targetNs),
      yieldCore,
      nap: (ns: number) => {
        naps.push({ fromNs: f.nowNs(), ns });
        f.deps(targetNs).spinUntil(f.nowNs() + ns + napLateNs);
        f.spins.pop(); // the nap's advance is not a spin
      },
    });
    return { f, naps, deps };
  }

  const targets = [30_000, 150_000, 400_000, SPIN_WINDOW_NS, 2_600_000, 10_000_000];
  // A blocked wait here woke 72-88 us late at p50, 92-114 us at p99.
  const napLateness = [0, 72_000, 99_000];
  for (const targetNs of targets) {
    for (const lateNs of napLateness) {
      test(`target ${targetNs} ns, naps ${lateNs} ns late: naps end NAP_MARGIN_NS early, the rest is spun`, async () => {
        const n = napping(lateNs, () => true);
        await waitUntilNs(targetNs, n.deps(targetNs));
        // Never early, and done within one event-loop turn (1.5 us here) of the target.
        expect(n.f.nowNs()).toBeGreaterThanOrEqual(targetNs);
        expect(n.f.nowNs() - targetNs).toBeLessThan(1_500);
        for (const nap of n.naps) {
          expect(nap.ns).toBeGreaterThanOrEqual(MIN_NAP_NS);
          expect(nap.ns).toBeLessThanOrEqual(NAP_SLICE_NS);
          expect(nap.fromNs + nap.ns).toBeLessThanOrEqual(targetNs - NAP_MARGIN_NS);
        }
        // Only the margin (and a stretch too short to nap) is spun.
        const spun = n.f.spins.reduce((sum, s) => sum + (s.untilNs - s.fromNs), 0);
        expect(spun).toBeLessThan(NAP_MARGIN_NS + MIN_NAP_NS);
        for (const sp of n.f.spins) expect(sp.untilNs).toBeLessThanOrEqual(targetNs);
        if (targetNs >= NAP_MARGIN_NS + MIN_NAP_NS + 1_500) expect(n.naps.length).toBeGreaterThan(0);
        else expect(n.naps).toEqual([]);
      });
    }
  }

  test("never naps while nobody needs the core", async () => {
    const n = napping(0, () => false);
    await waitUntilNs(1_000_000, n.deps(1_000_000));
    expect(n.naps).toEqual([]);
    expect(n.f.spins.length).toBeGreaterThan(10);
    expect(n.f.nowNs()).toBe(1_000_000);
  });

  test("asked again before each slice: naps while it says so, then spins", async () => {
    let asks = 0;
    const n = napping(0, () => ++asks <= 2);
    await waitUntilNs(1_000_000, n.deps(1_000_000));
    expect(n.naps.map((x) => x.ns)).toEqual([NAP_SLICE_NS, NAP_SLICE_NS]);
    // From 500 us on it spins, in slices, to the target.
    expect(n.f.spins[0]!.fromNs).toBeGreaterThanOrEqual(2 * NAP_SLICE_NS);
    expect(n.f.spins.length).toBeGreaterThan(10);
    expect(n.f.nowNs()).toBe(1_000_000);
  });

  test("nappedNsSoFar grows by the naps as the clock saw them (their lateness too), spunNsSoFar by the spins only", async () => {
    const lateNs = 72_000;
    const n = napping(lateNs, () => true);
    const [napped0, spun0] = [nappedNsSoFar(), spunNsSoFar()];
    await waitUntilNs(1_000_000, n.deps(1_000_000));
    const spinTotal = n.f.spins.reduce((sum, s) => sum + (s.untilNs - s.fromNs), 0);
    expect(n.naps.length).toBeGreaterThan(1);
    expect(nappedNsSoFar() - napped0).toBe(n.naps.reduce((sum, x) => sum + x.ns + lateNs, 0));
    expect(spunNsSoFar() - spun0).toBe(spinTotal);
  });

  test("nothing napped while nobody needs the core", async () => {
    const n = napping(0, () => false);
    const napped0 = nappedNsSoFar();
    await waitUntilNs(1_000_000, n.deps(1_000_000));
    expect(nappedNsSoFar() - napped0).toBe(0);
  });

  test("real clock and the default nap (Atomics.wait): not before the target", async () => {
    const targetNs = epochNs() + 3_000_000;
    await waitUntilNs(targetNs, { yieldCore: () => true });
    expect(epochNs()).toBeGreaterThanOrEqual(targetNs);
  });
});
