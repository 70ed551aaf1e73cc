// `bun scripts/bench.ts abort-listeners [levels]`: what a request's cancel listener costs on a signal
// that `n` requests in flight listen to, as a request ends (remove) and the next starts (add):
// EventTarget's own list against src/runtime/abort-fanout.ts. In process, no server.
import { offAbort, onAbort } from "../src/runtime/abort-fanout.ts";

const ROUNDS = 20_000;
const ONCE = { once: true };

/** ns per remove + add on a signal with `n` listeners, oldest removed first (requests end in about the order they began). */
function churnNs(n: number, kind: "event-target" | "fanout"): number {
  const signal = new AbortController().signal;
  const ls = Array.from({ length: n }, () => ({ handleEvent() {} }));
  const add = kind === "fanout" ? (l: (typeof ls)[number]) => onAbort(signal, l) : (l: (typeof ls)[number]) => signal.addEventListener("abort", l, ONCE);
  const remove = kind === "fanout" ? (l: (typeof ls)[number]) => offAbort(signal, l) : (l: (typeof ls)[number]) => signal.removeEventListener("abort", l);
  for (const l of ls) add(l);
  const t = Bun.nanoseconds();
  for (let i = 0; i < ROUNDS; i++) {
    const l = ls[i % n]!;
    remove(l);
    add(l);
  }
  return (Bun.nanoseconds() - t) / ROUNDS;
}

export async function abortListeners(levels: readonly number[]): Promise<Record<string, unknown>> {
  const results = levels.map((n) => {
    // The better of three tries each: the least disturbed by the machine.
    const best = (kind: "event-target" | "fanout") => Math.min(churnNs(n, kind), churnNs(n, kind), churnNs(n, kind));
    const row = { listeners: n, event_target_ns: best("event-target"), fanout_ns: best("fanout") };
    console.error(`abort-listeners: ${JSON.stringify(row)}`);
    return row;
  });
  return { results };
}
