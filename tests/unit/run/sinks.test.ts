import { describe, expect, test } from "bun:test";
import type { RecordOptions, RecordValues } from "../../../src/metrics/record-values.ts";
import { UnreachableTracker } from "../../../src/metrics/unreachable.ts";
import type { RequestRecord } from "../../../src/record/request-record.ts";
import { waitingBytes } from "../../../src/record/record-bytes.ts";
import { encodeRecords } from "../../../src/record/record-codec.ts";
import { countHeldWarning, heldWarning, outageSink, RecordFanout, receiveHeldWarning } from "../../../src/run/sinks.ts";
import { makeRecord } from "../../helpers/records.ts";

const OPTS: RecordOptions = { streaming: true };
const rec = (i: number, chunks = 1): RequestRecord => makeRecord({ ttftMs: 10, chunkMs: Array.from({ length: chunks }, (_, k) => 10 + k), endMs: 20 }, i);

/** A fanout over one collecting sink, with the hold calls and a clock the test moves. */
function setup(holdAtRecords: number, releaseAtRecords: number, behindAtRecords = holdAtRecords, caughtUpAtRecords = releaseAtRecords) {
  const stored: number[] = [];
  const holds: boolean[] = [];
  const behinds: boolean[] = [];
  const clock = { ms: 1000 };
  const one = waitingBytes(rec(0));
  const fanout = new RecordFanout(
    [{ add: (r) => stored.push(r.request_index) }],
    OPTS,
    { hold: (on) => holds.push(on), behind: (on) => behinds.push(on) },
    {
      holdAtBytes: holdAtRecords * one,
      releaseAtBytes: releaseAtRecords * one,
      behindAtBytes: behindAtRecords * one,
      caughtUpAtBytes: caughtUpAtRecords * one,
    },
    () => clock.ms,
  );
  return { fanout, stored, holds, behinds, clock };
}

async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!cond() && Date.now() < deadline) await Bun.sleep(1);
}

describe("RecordFanout back-pressure", () => {
  test("a backlog under the limit never holds the workers", async () => {
    const { fanout, stored, holds } = setup(10, 4);
    fanout.addBatch(encodeRecords([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => rec(i))));
    await until(() => stored.length === 9);
    expect(stored).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(holds).toEqual([]);
    expect(fanout.holds).toBe(0);
    expect(fanout.waitingBytes).toBe(0);
  });

  test("past the limit: held once, released when the backlog is down to the release mark, nothing lost", async () => {
    const { fanout, stored, holds, clock } = setup(10, 4);
    fanout.addBatch(encodeRecords([0, 1, 2, 3, 4, 5].map((i) => rec(i))));
    expect(holds).toEqual([]);
    fanout.addBatch(encodeRecords([6, 7, 8, 9, 10, 11].map((i) => rec(i))));
    expect(holds).toEqual([true]);
    expect(fanout.holds).toBe(1);
    clock.ms += 250;
    expect(fanout.heldMs).toBe(250); // a hold still going counts
    await until(() => holds.length === 2);
    expect(holds).toEqual([true, false]);
    // Released at 4 waiting records or fewer: at least 8 of the 12 were stored by then.
    expect(stored.length).toBeGreaterThanOrEqual(8);
    fanout.drain();
    expect(stored).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(fanout.waitingBytes).toBe(0);
    expect(fanout.heldMs).toBe(250);
  });

  test("falling behind is said before a hold, once, and caught up at its own mark; no hold on the way", async () => {
    const { fanout, stored, holds, behinds } = setup(100, 50, 5, 2);
    fanout.addBatch(encodeRecords([0, 1, 2, 3].map((i) => rec(i))));
    expect(behinds).toEqual([]);
    fanout.addBatch(encodeRecords([4, 5, 6].map((i) => rec(i))));
    expect(behinds).toEqual([true]);
    fanout.addBatch(encodeRecords([7].map((i) => rec(i))));
    expect(behinds).toEqual([true]);
    await until(() => behinds.length === 2);
    expect(behinds).toEqual([true, false]);
    // Caught up at 2 waiting records or fewer: at least 6 of the 8 were stored by then.
    expect(stored.length).toBeGreaterThanOrEqual(6);
    await until(() => stored.length === 8);
    expect(stored).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(holds).toEqual([]);
  });

  test("drain() ends a 'behind' still on", () => {
    const { fanout, stored, behinds } = setup(100, 50, 2, 1);
    fanout.addBatch(encodeRecords([0, 1, 2].map((i) => rec(i))));
    expect(behinds).toEqual([true]);
    fanout.drain();
    expect(stored).toEqual([0, 1, 2]);
    expect(behinds).toEqual([true, false]);
  });

  test("drain() stores what waits and releases a hold still on", () => {
    const { fanout, stored, holds } = setup(2, 1);
    fanout.addBatch(encodeRecords([0, 1, 2].map((i) => rec(i))));
    expect(holds).toEqual([true]);
    fanout.drain();
    expect(stored).toEqual([0, 1, 2]);
    expect(holds).toEqual([true, false]);
  });

  test("a hold still on at the end counts until the load ended, not while the end-of-run drain stores", () => {
    const clock = { ms: 1000 };
    const holds: boolean[] = [];
    const one = waitingBytes(rec(0));
    // Each record takes 50 ms to store.
    const slowSink = { add: () => void (clock.ms += 50) };
    const fanout = new RecordFanout(
      [slowSink],
      OPTS,
      { hold: (on) => holds.push(on) },
      { holdAtBytes: 2 * one, releaseAtBytes: one, behindAtBytes: 2 * one, caughtUpAtBytes: one },
      () => clock.ms,
    );
    fanout.addBatch(encodeRecords([0, 1, 2].map((i) => rec(i))));
    clock.ms += 100;
    fanout.drain();
    expect(holds).toEqual([true, false]);
    expect(fanout.heldMs).toBe(100);
  });

  test("streamed records weigh by their chunks: one long record can hold the workers", () => {
    const { fanout, holds } = setup(10, 4);
    expect(waitingBytes(rec(0, 400))).toBeGreaterThan(10 * waitingBytes(rec(0)));
    fanout.addBatch(encodeRecords([rec(0, 400)]));
    expect(holds).toEqual([true]);
    fanout.drain();
    expect(holds).toEqual([true, false]);
  });
});

describe("heldWarning", () => {
  test.each([
    [1, 1200, "storing results fell behind the load once: new requests waited 1.2 s in all"],
    [9, 14_000, "storing results fell behind the load 9 times: new requests waited 14.0 s in all"],
  ])("%i hold(s), %i ms", (holds, ms, start) => {
    const text = heldWarning(ms, holds);
    expect(text.startsWith(start)).toBe(true);
    expect(text).toContain("this machine, not the server, limited throughput");
  });
});

describe("outageSink", () => {
  const URL = "http://127.0.0.1:1/v1/chat/completions";
  const attempt = (startNs: number, endNs: number, ackNs: number): RequestRecord => {
    const r = makeRecord({ ttftMs: 1, chunkMs: [1], endMs: 2 }, 0);
    r.url = URL;
    r.start_ns = startNs;
    r.end_ns = endNs;
    r.ack_ns = ackNs;
    r.cancelled = false;
    r.error = ackNs === 0 ? { code: 0, type: "connection_error", message: "ECONNREFUSED" } : null;
    return r;
  };

  test("says each window as it closes, even one that began before a window said earlier (records come out of order)", () => {
    const said: { startNs: number; attempts: number }[] = [];
    const sink = outageSink(new UnreachableTracker(), (w) => said.push({ startNs: w.startNs, attempts: w.attempts }));
    const values = {} as RecordValues;
    sink.add(attempt(100, 110, 0), values);
    sink.add(attempt(120, 130, 0), values);
    sink.add(attempt(190, 250, 200), values); // answered: the first window ends
    sink.add(attempt(50, 300, 0), values); // an older request's failure arrives late: a new window from 50
    sink.add(attempt(350, 450, 400), values);
    expect(said).toEqual([
      { startNs: 100, attempts: 2 },
      { startNs: 50, attempts: 1 },
    ]);
  });
});

describe("the workers' hold warnings", () => {
  test("counting and receiving: how many times, and that the client limited throughput", () => {
    expect(countHeldWarning(1)).toBe(
      "counting output tokens fell behind the load once: new requests waited for it (counted in their queue time) so finished records could not pile up in memory; for that time this machine, not the server, limited throughput",
    );
    expect(receiveHeldWarning(7)).toBe(
      "the thread storing results (at --storage-priority idle) fell behind the load 7 times: new requests waited for it (counted in their queue time); for that time this machine, not the server, limited throughput",
    );
  });
});
