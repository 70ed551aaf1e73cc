// StopLatch: a wait raced against a phase's stop resolves with its own value or the stop value, and
// nothing stays attached to the latch once the wait has settled (Promise.race against the long-lived
// stop promise kept every raced value alive until the phase ended).
import { describe, expect, test } from "bun:test";
import { StopLatch } from "../../../src/runtime/stop-latch.ts";

describe("StopLatch", () => {
  test("a wait that settles first gives its value and leaves nothing attached", async () => {
    const latch = new StopLatch();
    const got = await latch.race(Promise.resolve(["prompt text"]), null);
    expect(got).toEqual(["prompt text"]);
    expect(latch.attached).toBe(0);
  });

  test("10,000 settled waits: none attached (each would otherwise hold its value until the stop)", async () => {
    const latch = new StopLatch();
    const values = await Promise.all(Array.from({ length: 10_000 }, (_, i) => latch.race(Promise.resolve(i), -1)));
    expect(values.length).toBe(10_000);
    expect(values.filter((v, i) => v !== i).length).toBe(0);
    expect(latch.attached).toBe(0);
  });

  test("the stop comes first: the stop value, and the pending wait is detached", async () => {
    const latch = new StopLatch();
    const never = new Promise<string>(() => {});
    const raced = latch.race(never, null);
    expect(latch.attached).toBe(1);
    latch.fire();
    expect(await raced).toBeNull();
    expect(latch.attached).toBe(0);
    expect(latch.fired).toBe(true);
  });

  test("after the stop, a new wait gives the stop value at once", async () => {
    const latch = new StopLatch();
    latch.fire();
    latch.fire(); // twice is harmless
    expect(await latch.race(new Promise<number>(() => {}), "stopped")).toBe("stopped");
    expect(latch.attached).toBe(0);
  });

  test("a wait that rejects rejects, and is detached", async () => {
    const latch = new StopLatch();
    await expect(latch.race(Promise.reject(new Error("boom")), null)).rejects.toThrow("boom");
    expect(latch.attached).toBe(0);
  });
});
