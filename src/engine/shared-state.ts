// State every worker reads and writes without a message round trip: an Int32Array over a
// SharedArrayBuffer. Index allocation and the in-flight count are atomic, so no request waits on
// the main thread to be allowed out.

const SLOTS = {
  /** Next request index to issue (across warmup and profiling). */
  NEXT: 0,
  /** Requests currently in flight across all workers. */
  IN_FLIGHT: 1,
  /** 1 = issue no new requests. */
  STOP: 2,
  /** 1 = cancel in-flight requests now. */
  CANCEL: 3,
  /** Requests finished (any outcome). */
  DONE: 4,
  /** Peak of IN_FLIGHT seen. */
  PEAK: 5,
  /** Requests sent that have not had their first token yet (--prefill-concurrency). */
  PREFILL: 6,
  /** Next session ordinal a closed-loop lane takes (this phase). */
  SESSION: 7,
  /** 1 = the main thread's record storage is behind: start no new request until it catches up. */
  HOLD: 8,
  /** Times a worker held its new requests while its records waited for their token counts. */
  COUNT_HOLDS: 9,
  /** Estimated bytes of records workers posted that the main thread has not received yet (it may run at idle priority). */
  UNRECEIVED: 10,
  /** Times a worker held its new requests while the main thread had not received its records. */
  RECEIVE_HOLDS: 11,
  /** 1 = the main thread's record storage is falling behind (short of a hold): workers leave the core while they wait to send. */
  BEHIND: 12,
} as const;
const LENGTH = 13;

export class SharedState {
  readonly view: Int32Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(LENGTH * 4)) {
    this.view = new Int32Array(buffer);
  }

  get buffer(): SharedArrayBuffer {
    return this.view.buffer as SharedArrayBuffer;
  }

  /** Claims the next request index, or -1 when `limit` were issued or sending stopped. */
  claim(limit: number): number {
    if (Atomics.load(this.view, SLOTS.STOP) === 1) return -1;
    const i = Atomics.add(this.view, SLOTS.NEXT, 1);
    return i < limit ? i : -1;
  }

  /** Takes the next session ordinal of this phase (the caller compares it with the phase's limit). */
  claimSession(): number {
    return Atomics.add(this.view, SLOTS.SESSION, 1);
  }

  /** Starts a request unless `cap` are in flight already (null = no cap); true when started. */
  tryStart(cap: number | null): boolean {
    if (cap === null) {
      this.started();
      return true;
    }
    for (;;) {
      const n = Atomics.load(this.view, SLOTS.IN_FLIGHT);
      if (n >= cap) return false;
      if (Atomics.compareExchange(this.view, SLOTS.IN_FLIGHT, n, n + 1) === n) {
        this.notePeak(n + 1);
        return true;
      }
    }
  }

  /** Takes a prefill slot unless `cap` requests await their first token (null = no cap). */
  tryEnterPrefill(cap: number | null): boolean {
    for (;;) {
      const n = Atomics.load(this.view, SLOTS.PREFILL);
      if (cap !== null && n >= cap) return false;
      if (Atomics.compareExchange(this.view, SLOTS.PREFILL, n, n + 1) === n) return true;
    }
  }

  leavePrefill(): void {
    Atomics.sub(this.view, SLOTS.PREFILL, 1);
  }

  /** A new phase: request indices and session ordinals from 0, sending allowed again (unless cancelled). */
  resetPhase(): void {
    Atomics.store(this.view, SLOTS.NEXT, 0);
    Atomics.store(this.view, SLOTS.SESSION, 0);
    if (!this.cancelled) Atomics.store(this.view, SLOTS.STOP, 0);
  }

  started(): void {
    this.notePeak(Atomics.add(this.view, SLOTS.IN_FLIGHT, 1) + 1);
  }

  private notePeak(n: number): void {
    let peak = Atomics.load(this.view, SLOTS.PEAK);
    while (n > peak) {
      const prev = Atomics.compareExchange(this.view, SLOTS.PEAK, peak, n);
      if (prev === peak) break;
      peak = prev;
    }
  }

  /** Gives back a slot taken by tryStart() for a request that was not sent after all. */
  unstart(): void {
    Atomics.sub(this.view, SLOTS.IN_FLIGHT, 1);
  }

  finished(): void {
    Atomics.sub(this.view, SLOTS.IN_FLIGHT, 1);
    Atomics.add(this.view, SLOTS.DONE, 1);
  }

  stopSending(): void {
    Atomics.store(this.view, SLOTS.STOP, 1);
  }

  cancelAll(): void {
    Atomics.store(this.view, SLOTS.STOP, 1);
    Atomics.store(this.view, SLOTS.CANCEL, 1);
  }

  /** Storage back-pressure (run/sinks.ts): while held, workers start nothing new; in-flight requests go on. */
  setHold(on: boolean): void {
    Atomics.store(this.view, SLOTS.HOLD, on ? 1 : 0);
  }

  /** Storage is falling behind, short of a hold: a worker's waits for a send's time block instead of spinning. */
  setBehind(on: boolean): void {
    Atomics.store(this.view, SLOTS.BEHIND, on ? 1 : 0);
  }

  get behind(): boolean {
    return Atomics.load(this.view, SLOTS.BEHIND) === 1;
  }

  noteCountHold(): void {
    Atomics.add(this.view, SLOTS.COUNT_HOLDS, 1);
  }

  /** A worker posted records of `bytes` (record-bytes.ts) to the main thread. */
  notePosted(bytes: number): void {
    Atomics.add(this.view, SLOTS.UNRECEIVED, bytes);
  }

  /** The main thread received posted records of `bytes`. */
  noteReceived(bytes: number): void {
    Atomics.sub(this.view, SLOTS.UNRECEIVED, bytes);
  }

  get unreceived(): number {
    return Atomics.load(this.view, SLOTS.UNRECEIVED);
  }

  noteReceiveHold(): void {
    Atomics.add(this.view, SLOTS.RECEIVE_HOLDS, 1);
  }

  get receiveHolds(): number {
    return Atomics.load(this.view, SLOTS.RECEIVE_HOLDS);
  }

  get countHolds(): number {
    return Atomics.load(this.view, SLOTS.COUNT_HOLDS);
  }

  get held(): boolean {
    return Atomics.load(this.view, SLOTS.HOLD) === 1;
  }

  get stopped(): boolean {
    return Atomics.load(this.view, SLOTS.STOP) === 1;
  }
  get cancelled(): boolean {
    return Atomics.load(this.view, SLOTS.CANCEL) === 1;
  }
  get inFlight(): number {
    return Atomics.load(this.view, SLOTS.IN_FLIGHT);
  }
  get inPrefill(): number {
    return Atomics.load(this.view, SLOTS.PREFILL);
  }
  get peakInFlight(): number {
    return Atomics.load(this.view, SLOTS.PEAK);
  }
  get issued(): number {
    return Atomics.load(this.view, SLOTS.NEXT);
  }
  get done(): number {
    return Atomics.load(this.view, SLOTS.DONE);
  }
}
