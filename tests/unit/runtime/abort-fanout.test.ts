// onAbort / offAbort against EventTarget's own add / remove (once): the same listeners fire, in the
// same order, whatever is added, removed or re-added, before or during the abort.
import { describe, expect, test } from "bun:test";
import { abortListenerCount, offAbort, onAbort } from "../../../src/runtime/abort-fanout.ts";
import { mulberry32 } from "../../../src/dataset/seeded-rng.ts";

type Op = { add: number } | { remove: number } | "abort";

/** Runs `ops` over listeners 0..n-1 with EventTarget (native) or the fan-out; listener i, when fired, removes those in `removesOnFire[i]`. Returns the firing order. */
function replay(kind: "native" | "fanout", n: number, ops: readonly Op[], removesOnFire: Readonly<Record<number, number[]>> = {}): number[] {
  const ac = new AbortController();
  const fired: number[] = [];
  const ls = Array.from({ length: n }, (_, i) => ({
    handleEvent: () => {
      fired.push(i);
      for (const j of removesOnFire[i] ?? []) remove(j);
    },
  }));
  const add = (i: number) => (kind === "native" ? ac.signal.addEventListener("abort", ls[i]!, { once: true }) : onAbort(ac.signal, ls[i]!));
  const remove = (i: number) => (kind === "native" ? ac.signal.removeEventListener("abort", ls[i]!) : offAbort(ac.signal, ls[i]!));
  for (const op of ops) {
    if (op === "abort") ac.abort();
    else if ("add" in op) add(op.add);
    else remove(op.remove);
  }
  return fired;
}

describe("onAbort / offAbort", () => {
  const cases: [string, number, Op[], Record<number, number[]>, number[]][] = [
    ["fires each listener once, in the order added", 3, [{ add: 2 }, { add: 0 }, { add: 1 }, "abort", "abort"], {}, [2, 0, 1]],
    ["a removed listener does not fire", 3, [{ add: 0 }, { add: 1 }, { add: 2 }, { remove: 1 }, "abort"], {}, [0, 2]],
    ["added twice: fires once, at its first place", 2, [{ add: 0 }, { add: 1 }, { add: 0 }, "abort"], {}, [0, 1]],
    ["removed and added again: at the end", 3, [{ add: 0 }, { add: 1 }, { add: 2 }, { remove: 0 }, { add: 0 }, "abort"], {}, [1, 2, 0]],
    ["added after the abort: never fires", 2, [{ add: 0 }, "abort", { add: 1 }, "abort"], {}, [0]],
    ["one fired removes a later one: it does not fire", 3, [{ add: 0 }, { add: 1 }, { add: 2 }, "abort"], { 0: [2] }, [0, 1]],
    ["one fired removes an earlier one (already fired) or itself: no change", 3, [{ add: 0 }, { add: 1 }, { add: 2 }, "abort"], { 1: [0, 1] }, [0, 1, 2]],
    ["removing what was never added: nothing", 2, [{ remove: 1 }, { add: 0 }, "abort"], {}, [0]],
    ["nothing added: nothing fires", 1, ["abort"], {}, []],
  ];
  for (const [what, n, ops, removes, want] of cases) {
    test(what, () => {
      expect(replay("native", n, ops, removes)).toEqual(want);
      expect(replay("fanout", n, ops, removes)).toEqual(want);
    });
  }

  test("random sequences: the same firing order as EventTarget (500 sequences)", () => {
    const rng = mulberry32(7);
    const pick = (k: number) => Math.floor(rng() * k);
    let fired = 0;
    for (let s = 0; s < 500; s++) {
      const n = 1 + pick(12);
      const ops: Op[] = Array.from({ length: pick(30) }, () => (rng() < 0.6 ? { add: pick(n) } : { remove: pick(n) }));
      ops.splice(pick(ops.length + 1), 0, "abort");
      const removes: Record<number, number[]> = {};
      for (let i = 0; i < n; i++) if (rng() < 0.3) removes[i] = [pick(n)];
      const native = replay("native", n, ops, removes);
      expect(replay("fanout", n, ops, removes)).toEqual(native);
      fired += native.length;
    }
    // The sequences did fire listeners (not only empty runs).
    expect(fired).toBeGreaterThan(500);
  });

  test("a listener that throws: the rest still fire, and the error comes later, outside", () => {
    const ac = new AbortController();
    const fired: string[] = [];
    const later: (() => void)[] = [];
    const realQueue = globalThis.queueMicrotask;
    globalThis.queueMicrotask = (fn) => later.push(fn);
    try {
      onAbort(ac.signal, {
        handleEvent: () => {
          fired.push("a");
          throw new Error("boom");
        },
      });
      onAbort(ac.signal, { handleEvent: () => fired.push("b") });
      ac.abort();
    } finally {
      globalThis.queueMicrotask = realQueue;
    }
    expect(fired).toEqual(["a", "b"]);
    expect(later.length).toBe(1);
    expect(() => later[0]!()).toThrow("boom");
  });

  test("adds one native listener per signal, and lets go of ours as they are removed or fired", () => {
    const ac = new AbortController();
    let nativeAdds = 0;
    const add = ac.signal.addEventListener.bind(ac.signal);
    ac.signal.addEventListener = ((...args: Parameters<AbortSignal["addEventListener"]>) => {
      nativeAdds++;
      add(...args);
    }) as AbortSignal["addEventListener"];
    const ls = Array.from({ length: 1000 }, () => ({ handleEvent: () => {} }));
    for (const l of ls) onAbort(ac.signal, l);
    expect(abortListenerCount(ac.signal)).toBe(1000);
    expect(nativeAdds).toBe(1);
    for (const l of ls.slice(0, 400)) offAbort(ac.signal, l);
    expect(abortListenerCount(ac.signal)).toBe(600);
    ac.abort();
    expect(abortListenerCount(ac.signal)).toBe(0);
  });
});
