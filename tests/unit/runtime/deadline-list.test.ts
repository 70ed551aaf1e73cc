import { describe, expect, test } from "bun:test";
import { type DeadlineList, type DeadlineNode, Deadlines } from "../../../src/runtime/deadline-list.ts";
import { MAX_TIMER_MS } from "../../../src/runtime/long-timer.ts";
import { fakeTimers } from "../../helpers/fake-timers.ts";

/** A node that notes, in `fired`, its name and the fake time its deadline fired at. */
function node(name: string, fired: string[], now: () => number, onFire?: () => void): DeadlineNode {
  return {
    deadlineMs: 0,
    prevDeadline: null,
    nextDeadline: null,
    deadlineList: null as DeadlineList | null,
    onDeadline() {
      fired.push(`${name}@${now()}`);
      onFire?.();
    },
  };
}

describe("Deadlines", () => {
  test("nodes of one duration fire in the order added, each at its own deadline, on one timer at a time", () => {
    const f = fakeTimers();
    const d = new Deadlines(f.api);
    const fired: string[] = [];
    d.add(node("a", fired, f.now), 100);
    f.advance(30);
    d.add(node("b", fired, f.now), 100);
    f.advance(30);
    d.add(node("c", fired, f.now), 100);
    expect(f.pending.size).toBe(1);
    f.advance(1_000);
    expect(fired).toEqual(["a@100", "b@130", "c@160"]);
    expect(f.pending.size).toBe(0);
  });

  test("a removed node never fires; removing the head leaves the others on time; the last removal clears the timer", () => {
    const f = fakeTimers();
    const d = new Deadlines(f.api);
    const fired: string[] = [];
    const a = node("a", fired, f.now);
    const b = node("b", fired, f.now);
    const c = node("c", fired, f.now);
    d.add(a, 50);
    f.advance(10);
    d.add(b, 50);
    f.advance(10);
    d.add(c, 50);
    d.remove(a);
    d.remove(c);
    expect([a.deadlineList, c.deadlineList, a.nextDeadline, c.prevDeadline]).toEqual([null, null, null, null]);
    f.advance(100);
    expect(fired).toEqual(["b@60"]);
    d.add(a, 50);
    d.remove(a);
    expect(f.pending.size).toBe(0);
    d.remove(a); // not in a list: nothing
    f.advance(100);
    expect(fired).toEqual(["b@60"]);
  });

  test("durations have lists of their own; Infinity never fires; NaN and negative fire at once", () => {
    const f = fakeTimers();
    const d = new Deadlines(f.api);
    const fired: string[] = [];
    d.add(node("long", fired, f.now), 300);
    d.add(node("short", fired, f.now), 100);
    d.add(node("never", fired, f.now), Infinity);
    d.add(node("nan", fired, f.now), Number.NaN);
    d.add(node("neg", fired, f.now), -5);
    f.advance(10_000);
    expect(fired).toEqual(["nan@0", "neg@0", "short@100", "long@300"]);
  });

  test("a node may be added again from its own callback (same or another duration)", () => {
    const f = fakeTimers();
    const d = new Deadlines(f.api);
    const fired: string[] = [];
    let again = 2;
    const n: DeadlineNode = node("n", fired, f.now, () => {
      if (again-- > 0) d.add(n, again === 1 ? 20 : 40);
    });
    d.add(n, 10);
    f.advance(1_000);
    expect(fired).toEqual(["n@10", "n@30", "n@70"]);
    expect(f.pending.size).toBe(0);
  });

  test("the timer armed for a removed head fires, finds nothing due, and re-arms for the new head", () => {
    const f = fakeTimers();
    const d = new Deadlines(f.api);
    const fired: string[] = [];
    const a = node("a", fired, f.now);
    d.add(a, 100);
    f.advance(50);
    d.add(node("b", fired, f.now), 100);
    d.remove(a);
    f.advance(60);
    expect(fired).toEqual([]);
    expect(f.pending.size).toBe(1);
    f.advance(100);
    expect(fired).toEqual(["b@150"]);
  });

  test("a duration past setTimeout's range is waited out in chunks", () => {
    const f = fakeTimers();
    const d = new Deadlines(f.api);
    const fired: string[] = [];
    const long = MAX_TIMER_MS * 2 + 5;
    d.add(node("far", fired, f.now), long);
    f.advance(MAX_TIMER_MS);
    expect(fired).toEqual([]);
    f.advance(long);
    expect(fired).toEqual([`far@${long}`]);
  });
});
