import { describe, expect, test } from "bun:test";
import { SharedState } from "../../../src/engine/shared-state.ts";

describe("SharedState", () => {
  test("claims indices once each, up to the limit, and not after stop", () => {
    const s = new SharedState();
    expect([s.claim(3), s.claim(3), s.claim(3), s.claim(3)]).toEqual([0, 1, 2, -1]);
    const t = new SharedState();
    t.stopSending();
    expect(t.claim(10)).toBe(-1);
  });
  test("session ordinals: once each across views, from 0 again after a phase reset", () => {
    const a = new SharedState();
    const b = new SharedState(a.buffer);
    expect([a.claimSession(), b.claimSession(), a.claimSession()]).toEqual([0, 1, 2]);
    a.resetPhase();
    expect(b.claimSession()).toBe(0);
  });
  test("two views of one buffer (as in two workers) see the same counters", () => {
    const a = new SharedState();
    const b = new SharedState(a.buffer);
    expect(a.claim(10)).toBe(0);
    expect(b.claim(10)).toBe(1);
    a.started();
    b.started();
    b.started();
    a.finished();
    expect(b.inFlight).toBe(2);
    expect(a.peakInFlight).toBe(3);
    expect(b.done).toBe(1);
    b.cancelAll();
    expect(a.cancelled && a.stopped).toBe(true);
  });
  test("bytes of records posted but not yet received: workers add, the main thread takes away; a phase reset keeps them", () => {
    const worker = new SharedState();
    const main = new SharedState(worker.buffer);
    worker.notePosted(16);
    worker.notePosted(5);
    expect(main.unreceived).toBe(21);
    main.resetPhase();
    main.noteReceived(16);
    expect(worker.unreceived).toBe(5);
    worker.noteReceiveHold();
    expect(main.receiveHolds).toBe(1);
  });
  test("'storage behind' is seen by every view, apart from the hold", () => {
    const main = new SharedState();
    const worker = new SharedState(main.buffer);
    expect(worker.behind).toBe(false);
    main.setBehind(true);
    expect(worker.behind).toBe(true);
    expect(worker.held).toBe(false);
    main.setHold(true);
    main.setBehind(false);
    expect([worker.behind, worker.held]).toEqual([false, true]);
  });
  test("claims from concurrent workers never collide", async () => {
    const s = new SharedState();
    const src = `self.onmessage = (e) => { const v = new Int32Array(e.data); const got = [];
      for (;;) { const i = Atomics.add(v, 0, 1); if (i >= 20000) break; got.push(i); } postMessage(got); };`;
    const url = URL.createObjectURL(new Blob([src], { type: "application/javascript" }));
    const workers = [new Worker(url), new Worker(url)];
    const results = await Promise.all(
      workers.map((w) => new Promise<number[]>((res) => ((w.onmessage = (e: MessageEvent<number[]>) => res(e.data)), w.postMessage(s.buffer)))),
    );
    for (const w of workers) w.terminate();
    const all = results.flat().sort((x, y) => x - y);
    expect(all.length).toBe(20000);
    expect(all.every((v, i) => v === i)).toBe(true);
  });
});
