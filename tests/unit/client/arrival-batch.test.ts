import { describe, expect, test } from "bun:test";
import { ArrivalBatch, type ArrivalSink } from "../../../src/client/arrival-batch.ts";

/** A batch whose scheduled flushes run only when the test says so. */
function manual(): { batch: ArrivalBatch; runScheduled: () => number } {
  const queued: (() => void)[] = [];
  const batch = new ArrivalBatch((fn) => queued.push(fn));
  return {
    batch,
    runScheduled: () => {
      const n = queued.length;
      for (const fn of queued.splice(0)) fn();
      return n;
    },
  };
}

type Seen = [string, string, number];

function sink(name: string, seen: Seen[], also?: (bytes: Uint8Array) => void): ArrivalSink {
  return {
    onData(bytes, at_ns) {
      seen.push([name, new TextDecoder().decode(bytes), at_ns]);
      also?.(bytes);
    },
  };
}

const b = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("ArrivalBatch", () => {
  test("data is handed over only when the scheduled flush runs, oldest first, with the stamps taken at arrival", () => {
    const { batch, runScheduled } = manual();
    const seen: Seen[] = [];
    const a = sink("a", seen);
    const c = sink("c", seen);
    batch.push(a, b("a1"), 10);
    batch.push(c, b("c1"), 11);
    batch.push(a, b("a2"), 12);
    expect(seen).toEqual([]);
    expect(batch.pending).toBe(3);
    expect(runScheduled()).toBe(1); // one flush scheduled for the three
    expect(seen).toEqual([
      ["a", "a1", 10],
      ["c", "c1", 11],
      ["a", "a2", 12],
    ]);
    expect(batch.pending).toBe(0);
    expect(runScheduled()).toBe(0);
  });

  test("flush() hands over at once; the flush already scheduled then finds nothing to hand twice", () => {
    const { batch, runScheduled } = manual();
    const seen: Seen[] = [];
    batch.push(sink("a", seen), b("x"), 1);
    batch.flush();
    expect(seen).toEqual([["a", "x", 1]]);
    expect(runScheduled()).toBe(1);
    expect(seen.length).toBe(1);
    // The next arrival schedules a new flush.
    batch.push(sink("a", seen), b("y"), 2);
    expect(runScheduled()).toBe(1);
    expect(seen.map((s) => s[1])).toEqual(["x", "y"]);
  });

  test("a flush from inside a handler (a close, an abort) goes on in order and hands each arrival over once", () => {
    const { batch, runScheduled } = manual();
    const seen: Seen[] = [];
    const inner = sink("inner", seen, () => batch.flush());
    const plain = sink("p", seen);
    batch.push(plain, b("1"), 1);
    batch.push(inner, b("2"), 2);
    batch.push(plain, b("3"), 3);
    batch.push(plain, b("4"), 4);
    runScheduled();
    expect(seen.map((s) => s[1])).toEqual(["1", "2", "3", "4"]);
    expect(batch.pending).toBe(0);
  });

  test("data pushed while a flush runs is handed over by that flush", () => {
    const { batch, runScheduled } = manual();
    const seen: Seen[] = [];
    const late = sink("late", seen);
    const first = sink("first", seen, () => batch.push(late, b("later"), 9));
    batch.push(first, b("now"), 8);
    runScheduled();
    expect(seen).toEqual([
      ["first", "now", 8],
      ["late", "later", 9],
    ]);
    expect(batch.pending).toBe(0);
  });
});
