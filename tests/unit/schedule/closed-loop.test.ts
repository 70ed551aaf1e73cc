import { describe, expect, test } from "bun:test";
import { runClosedLoop } from "../../../src/schedule/closed-loop.ts";

describe("runClosedLoop", () => {
  test("sends exactly requestCount, never more than concurrency at once, in index order", async () => {
    let inFlight = 0;
    let peak = 0;
    const started: number[] = [];
    const issued = await runClosedLoop({
      concurrency: 3,
      requestCount: 10,
      send: async (i) => {
        started.push(i);
        inFlight++;
        peak = Math.max(peak, inFlight);
        await Bun.sleep(1 + (i % 3));
        inFlight--;
      },
    });
    expect(issued).toBe(10);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].slice(0, started.length));
    expect(started.length).toBe(10);
    expect(peak).toBe(3);
  });
  test("stops issuing when told to, and waits for in-flight ones", async () => {
    let done = 0;
    let stop = false;
    const issued = await runClosedLoop({
      concurrency: 2,
      requestCount: 100,
      shouldStop: () => stop,
      send: async (i) => {
        if (i === 3) stop = true;
        await Bun.sleep(1);
        done++;
      },
    });
    expect(issued).toBe(done);
    expect(issued).toBeLessThan(10);
  });
  test("concurrency above the count starts only count lanes", async () => {
    const seen: number[] = [];
    expect(await runClosedLoop({ concurrency: 50, requestCount: 2, send: async (i) => void seen.push(i) })).toBe(2);
    expect(seen.sort()).toEqual([0, 1]);
  });
});
