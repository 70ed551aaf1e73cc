// Every request in flight listens to its phase's one cancel signal. EventTarget's add and remove scan
// the signal's listener list: in Bun 1.4.5 a remove and an add took 0.3-0.5 us together at 100
// listeners, 1.5-2.5 us at 1,000 and 21-35 us at 10,000 (`bun scripts/bench.ts abort-listeners`), so a
// 10,000-stream wave turn spent 0.2-0.35 s of the stamping thread on them. Here each signal gets one
// real listener, and ours sit in a Set: 0.2-0.5 us at any of those sizes. A signal with one listener
// (a request picked by --request-cancellation-rate has its own) pays a Set and a closure more: rare.

/** A listener object (no closure per request): `handleEvent` runs once, when the signal aborts. */
export interface AbortListener {
  handleEvent(): void;
}

const listening = new WeakMap<AbortSignal, Set<AbortListener>>();

/** As `signal.addEventListener("abort", l, { once: true })`: adding the same listener twice keeps one; an aborted signal fires no more. */
export function onAbort(signal: AbortSignal, l: AbortListener): void {
  if (signal.aborted) return;
  let set = listening.get(signal);
  if (set === undefined) {
    const ours = new Set<AbortListener>();
    set = ours;
    listening.set(signal, ours);
    signal.addEventListener("abort", () => fireAll(signal, ours), { once: true });
  }
  set.add(l);
}

/** As `signal.removeEventListener("abort", l)`: a listener not yet fired never will be. */
export function offAbort(signal: AbortSignal, l: AbortListener): void {
  listening.get(signal)?.delete(l);
}

/** How many listeners wait on `signal` (for tests). */
export function abortListenerCount(signal: AbortSignal): number {
  return listening.get(signal)?.size ?? 0;
}

function fireAll(signal: AbortSignal, ours: Set<AbortListener>): void {
  // A Set's iteration skips what a listener removes (offAbort) before it is reached, as EventTarget
  // does; nothing is added meanwhile (the signal is aborted).
  for (const l of ours) {
    ours.delete(l);
    try {
      l.handleEvent();
    } catch (err) {
      // As EventTarget reports a listener's exception and goes on to the next one.
      queueMicrotask(() => {
        throw err;
      });
    }
  }
  listening.delete(signal);
}
