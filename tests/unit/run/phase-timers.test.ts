import { describe, expect, test } from "bun:test";
import { setLongTimeout, clearLongTimeout } from "../../../src/runtime/long-timer.ts";
import { PhaseTimers, type TimerSeams } from "../../../src/run/phase-timers.ts";
import { fakeTimers } from "../../helpers/fake-timers.ts";

/** Seams over the fake timers: epoch ns = fake ms * 1e6. */
function seams(f: ReturnType<typeof fakeTimers>): TimerSeams {
  return { now: () => f.now() * 1e6, arm: (fn, ms) => setLongTimeout(fn, ms, f.api), clear: clearLongTimeout };
}

describe("PhaseTimers", () => {
  test("each timer fires once at its time after the start; end() clears the ones not yet due", () => {
    const f = fakeTimers();
    const fired: string[] = [];
    const t = new PhaseTimers(
      [
        [100, () => fired.push(`duration@${f.now()}`)],
        [null, () => fired.push("never")],
        [300, () => fired.push(`grace@${f.now()}`)],
      ],
      50e6, // the phase starts 50 ms from now
      seams(f),
    );
    f.advance(200);
    expect(fired).toEqual(["duration@150"]);
    t.end();
    f.advance(1_000);
    expect(fired).toEqual(["duration@150"]);
    expect(f.pending.size).toBe(0);
  });

  test("a timer due by the phase's end that has not run yet (this thread was late) runs at end(), once", () => {
    const f = fakeTimers();
    const fired: string[] = [];
    // The clock reads 120 ms when the workers end the phase, but this thread's timers have not had
    // their turn (the fake timers are not advanced): the one due at 100 ms runs at end(), the one due
    // at 300 ms does not.
    let nowNs = 0;
    const t = new PhaseTimers(
      [
        [100, () => fired.push("grace")],
        [300, () => fired.push("later")],
      ],
      0,
      { ...seams(f), now: () => nowNs },
    );
    nowNs = 120e6;
    t.end();
    expect(fired).toEqual(["grace"]);
    f.advance(1_000);
    t.end();
    expect(fired).toEqual(["grace"]);
  });

  test("a timer that already fired does not fire again at end()", () => {
    const f = fakeTimers();
    const fired: string[] = [];
    const t = new PhaseTimers([[10, () => fired.push("stop")]], 0, seams(f));
    f.advance(20);
    t.end();
    expect(fired).toEqual(["stop"]);
  });
});
