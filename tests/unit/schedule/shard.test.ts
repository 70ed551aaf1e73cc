import { describe, expect, test } from "bun:test";
import { globalPosition, ownedItems, profilingBase, shareOf, shareOfCap, type ShardSlot } from "../../../src/schedule/shard.ts";

const shards = (count: number): ShardSlot[] => Array.from({ length: count }, (_, index) => ({ index, count }));

describe("shareOf", () => {
  test.each([
    [10, 4, [3, 3, 2, 2]],
    [8, 4, [2, 2, 2, 2]],
    [3, 4, [1, 1, 1, 0]],
    [0, 3, [0, 0, 0]],
    [1, 2, [1, 0]],
    [100_001, 7, [14286, 14286, 14286, 14286, 14286, 14286, 14285]],
  ])("%i positions over %i shards", (total, count, want) => {
    const got = shards(count).map((s) => shareOf(total, s));
    expect(got).toEqual(want);
    expect(got.reduce((a, b) => a + b, 0)).toBe(total);
    // As even as it gets: no two shards differ by more than one.
    expect(Math.max(...got) - Math.min(...got)).toBeLessThanOrEqual(1);
  });

  test("no shard: everything; an unbounded count stays unbounded", () => {
    expect(shareOf(17, null)).toBe(17);
    expect(shareOf(Infinity, { index: 1, count: 3 })).toBe(Infinity);
    expect(shareOfCap(null, { index: 0, count: 2 })).toBeNull();
    expect(shareOfCap(5, { index: 0, count: 2 })).toBe(3);
  });
});

describe("globalPosition / ownedItems", () => {
  test.each([2, 3, 4, 7])("the shards' positions of 0..49 are each position once (%i shards)", (count) => {
    const seen = shards(count).flatMap((s) => Array.from({ length: shareOf(50, s) }, (_, k) => globalPosition(k, s)));
    expect(seen.toSorted((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  test("a shard's items are the array's at its positions, in order", () => {
    const all = Float64Array.from({ length: 10 }, (_, i) => i * 1.5);
    expect([...ownedItems(all, { index: 1, count: 4 })]).toEqual([1.5, 7.5, 13.5]);
    expect(ownedItems(all, null)).toBe(all);
    expect([...ownedItems(all, { index: 3, count: 20 })]).toEqual([4.5]);
    expect([...ownedItems(all, { index: 12, count: 20 })]).toEqual([]);
  });
});

describe("profilingBase", () => {
  const indexes = (base: number, n: number, s: ShardSlot | null): number[] => Array.from({ length: n }, (_, k) => base + globalPosition(k, s));

  test.each([
    [10, 25, 4],
    [2, 8, 4],
    [0, 9, 3],
    [7, 7, 2],
  ])("warmup by count (%i), %i profiling requests over %i shards: the indexes one process uses", (warmup, profiling, count) => {
    const warm: number[] = [];
    const prof: number[] = [];
    for (const s of shards(count)) {
      const w = shareOf(warmup, s);
      warm.push(...indexes(0, w, s));
      prof.push(...indexes(profilingBase(w, warmup, s), shareOf(profiling, s), s));
    }
    expect(warm.toSorted((a, b) => a - b)).toEqual(Array.from({ length: warmup }, (_, i) => i));
    expect(prof.toSorted((a, b) => a - b)).toEqual(Array.from({ length: profiling }, (_, i) => warmup + i));
  });

  test("warmup by duration: each shard's count differs, yet no index is used twice", () => {
    const issued = [5, 0, 9];
    const all: number[] = [];
    for (const s of shards(3)) {
      const w = issued[s.index]!;
      all.push(...indexes(0, w, s), ...indexes(profilingBase(w, null, s), 20, s));
    }
    expect(all.length).toBe(14 + 60);
    expect(new Set(all).size).toBe(all.length);
  });

  test("one process: right after its warmup", () => {
    expect(profilingBase(12, 12, null)).toBe(12);
    expect(profilingBase(7, null, null)).toBe(7);
  });
});
