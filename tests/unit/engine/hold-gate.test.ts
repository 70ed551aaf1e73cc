import { describe, expect, test } from "bun:test";
import { HoldGate } from "../../../src/engine/hold-gate.ts";

describe("HoldGate", () => {
  test("waiting lanes leave only once it opens, `slice` per macrotask, in the order they came", async () => {
    let open = false;
    let looks = 0;
    const gate = new HoldGate(
      () => {
        looks++;
        return open;
      },
      1,
      4,
    );
    const left: number[] = [];
    const turns: number[] = [];
    let turn = 0;
    const all = Array.from({ length: 10 }, (_, i) => gate.wait().then(() => (left.push(i), turns.push(turn))));
    await Bun.sleep(10);
    expect(left).toEqual([]);
    expect(looks).toBeGreaterThan(0);
    expect(looks).toBeLessThan(40); // one poll for all ten, not one each
    open = true;
    // A macrotask counter beside the gate's own.
    const tick = (): void => void setImmediate(() => (turn++, left.length < 10 && tick()));
    tick();
    await Promise.all(all);
    expect(left).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Three slices (4, 4, 2), each in a later turn than the one before.
    expect(new Set(turns.slice(0, 4)).size).toBe(1);
    expect(new Set(turns.slice(4, 8)).size).toBe(1);
    expect(turns[4]!).toBeGreaterThan(turns[0]!);
    expect(turns[8]!).toBeGreaterThan(turns[4]!);
  });

  test("a lane that waits after the gate opened waits for its next opening", async () => {
    let open = false;
    const gate = new HoldGate(() => open, 1, 64);
    const first = gate.wait();
    open = true;
    await first;
    open = false;
    let second = false;
    const p = gate.wait().then(() => (second = true));
    await Bun.sleep(10);
    expect(second).toBe(false);
    open = true;
    await p;
    expect(second).toBe(true);
  });
});
