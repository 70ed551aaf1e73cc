// Socket data is stamped in its callback and handled once every socket the same poll made ready has
// been stamped too. Handling a chunk (HTTP, SSE and JSON parsing, the record) costs ~12 us (at 1,000 streams); done
// inline, the k-th socket of a batch was stamped only after k-1 others were handled, and after a
// stall (a collection, a busy turn) the whole backlog was stamped that late. Paired with the build
// before (bench/timing-ab-checkouts.md; two sessions of 6 alternating pairs, client on one core), the
// p99s came out lower in 8-10 of 12 pairs at each stream count and the chunk-gap p50 in 21 of 24
// (README, "Accuracy").
//
// A connection's other events (drain, close, error) and an abort first hand over what is queued, so
// each connection still sees its events in the order they happened.
//
// Tried and dropped: handling a batch in 0.25 ms slices, the poll stamping what came in between. Paired
// against this at 1,000 streams (6 pairs): gap error p99 7.4 vs 5.0 ms (lower in 1 of 6), CPU higher in
// 5 of 6. And a scheduled flush cut at 2 ms for the 10,000-stream wave turns, where one flush of
// 5,000-10,000 first chunks took 53-58 ms (~5.8 us each) with nothing stamped: paired against this
// (6 pairs at 10,000 streams over two VMs, 5 at 100, 2 at 1,000), TTFT error p99 lower in 3 of 6, 0 of
// 5 and 0 of 2, gap p99 in 2 of 6, 3 of 5 and 1 of 2: a stamp taken sooner is then handled later.

/** What queued data is handed to. */
export interface ArrivalSink {
  onData(bytes: Uint8Array, at_ns: number): void;
}

export class ArrivalBatch {
  private readonly sinks: ArrivalSink[] = [];
  private readonly bytes: Uint8Array[] = [];
  private readonly stamps_ns: number[] = [];
  /** The next queued arrival to hand over (a handler may flush again from inside one: it goes on from here). */
  private head = 0;
  private scheduled = false;
  private readonly flushBound = (): void => {
    this.scheduled = false;
    this.flush();
  };

  /** `schedule` runs its callback after the events already made ready (setImmediate: after the poll's batch). */
  constructor(private readonly schedule: (fn: () => void) => void = setImmediate) {}

  /** Queues data stamped `at_ns` (taken first thing in the socket's callback). */
  push(sink: ArrivalSink, bytes: Uint8Array, at_ns: number): void {
    this.sinks.push(sink);
    this.bytes.push(bytes);
    this.stamps_ns.push(at_ns);
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(this.flushBound);
    }
  }

  /** Hands every queued arrival to its sink, oldest first. */
  flush(): void {
    while (this.head < this.sinks.length) {
      const i = this.head++;
      const bytes = this.bytes[i]!;
      this.bytes[i] = EMPTY; // let the buffer go while the rest is handled
      this.sinks[i]!.onData(bytes, this.stamps_ns[i]!);
    }
    this.head = 0;
    this.sinks.length = 0;
    this.bytes.length = 0;
    this.stamps_ns.length = 0;
  }

  /** Arrivals queued and not yet handed over. */
  get pending(): number {
    return this.sinks.length - this.head;
  }
}

const EMPTY = new Uint8Array(0);
