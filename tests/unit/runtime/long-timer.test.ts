import { describe, expect, test } from "bun:test";
import { MAX_TIMER_MS, clearLongTimeout, setLongTimeout } from "../../../src/runtime/long-timer.ts";
import { fakeTimers } from "../../helpers/fake-timers.ts";

describe("setLongTimeout", () => {
  test("a 3e9 ms wait re-arms in chunks and fires only at its end", () => {
    const f = fakeTimers();
    let fired = 0;
    setLongTimeout(() => fired++, 3e9, f.api);
    f.advance(1);
    expect(fired).toBe(0);
    f.advance(MAX_TIMER_MS);
    expect(fired).toBe(0);
    f.advance(3e9 - MAX_TIMER_MS - 2);
    expect(fired).toBe(0);
    f.advance(1);
    expect(fired).toBe(1);
    expect(f.now()).toBe(3e9);
    expect(f.arms).toEqual([MAX_TIMER_MS, 3e9 - MAX_TIMER_MS]);
    f.advance(10 * MAX_TIMER_MS);
    expect(fired).toBe(1);
  });

  test("a chunk that fires late shortens the next one: the deadline is kept on the clock", () => {
    const f = fakeTimers(1_000);
    let fired = 0;
    setLongTimeout(() => fired++, 5e9, f.api);
    f.advance(5e9);
    expect(fired).toBe(0);
    f.advance(1_000);
    expect(fired).toBe(1);
    expect(f.arms).toEqual([MAX_TIMER_MS, MAX_TIMER_MS, 5e9 - 2 * MAX_TIMER_MS - 2_000]);
  });

  for (const ms of [0, 1, 250.5, MAX_TIMER_MS]) {
    test(`${ms} ms fits one timer: one plain setTimeout of that delay`, () => {
      const f = fakeTimers();
      let fired = 0;
      setLongTimeout(() => fired++, ms, f.api);
      expect(f.arms).toEqual([ms]);
      f.advance(ms);
      expect(fired).toBe(1);
    });
  }

  for (const ms of [-5, Number.NaN]) {
    test(`${ms} ms fires as soon as possible`, () => {
      const f = fakeTimers();
      let fired = 0;
      setLongTimeout(() => fired++, ms, f.api);
      expect(f.arms).toEqual([0]);
      f.advance(0);
      expect(fired).toBe(1);
    });
  }

  test("Infinity never fires and arms nothing", () => {
    const f = fakeTimers();
    const t = setLongTimeout(
      () => {
        throw new Error("fired");
      },
      Infinity,
      f.api,
    );
    expect(f.arms).toEqual([]);
    clearLongTimeout(t);
  });

  test("clearLongTimeout in a later chunk cancels it", () => {
    const f = fakeTimers();
    let fired = 0;
    const t = setLongTimeout(() => fired++, 3e9, f.api);
    f.advance(MAX_TIMER_MS + 10);
    expect(f.arms.length).toBe(2);
    clearLongTimeout(t);
    expect(f.pending.size).toBe(0);
    f.advance(3e9);
    expect(fired).toBe(0);
    clearLongTimeout(t);
    clearLongTimeout(null);
  });

  test("real timers: a short timeout fires, a cleared one does not", async () => {
    let fired = 0;
    const cleared = setLongTimeout(() => fired--, 1);
    clearLongTimeout(cleared);
    await new Promise<void>((resolve) => setLongTimeout(resolve, 5));
    expect(fired).toBe(0);
  });
});
