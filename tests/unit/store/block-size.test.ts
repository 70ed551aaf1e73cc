import { describe, expect, test } from "bun:test";
import { NO_REQUEST_LIMIT } from "../../../src/config/profile-config.ts";
import { chunkRowsBound, type RequestBoundConfig, shardRequestBound } from "../../../src/run/request-bound.ts";
import { blockBytesFor, SMALL_BLOCK_BYTES, SMALL_RUN_MAX_CHUNK_ROWS, SMALL_RUN_MAX_REQUESTS } from "../../../src/store/block-size.ts";

describe("shardRequestBound", () => {
  const base: RequestBoundConfig = { onePass: false, warmupDuration: undefined, requestCount: 16, warmupRequestCount: 0, shardCount: 1 };
  const cases: [string, Partial<RequestBoundConfig>, number, number | null][] = [
    ["a request bound", {}, 0, 16],
    ["warmup requests count too", { warmupRequestCount: 4 }, 0, 20],
    ["time bounds the profiling phase", { requestCount: NO_REQUEST_LIMIT }, 0, null],
    ["time bounds the warmup", { warmupDuration: 5 }, 0, null],
    ["one pass over the dataset", { onePass: true }, 0, null],
    ["shard 0 of 3 takes the remainder first", { requestCount: 10, shardCount: 3 }, 0, 4],
    ["shard 2 of 3", { requestCount: 10, shardCount: 3 }, 2, 3],
  ];
  for (const [name, over, shard, want] of cases) test(name, () => expect(shardRequestBound({ ...base, ...over }, shard)).toBe(want));
});

describe("chunkRowsBound", () => {
  const cases: [string, { streaming: boolean; osl?: number; oslStddev: number }, number | null][] = [
    ["a whole response is one row", { streaming: false, osl: 500, oslStddev: 0 }, 1],
    ["streamed: --osl", { streaming: true, osl: 20, oslStddev: 0 }, 20],
    ["streamed: --osl plus three standard deviations", { streaming: true, osl: 20, oslStddev: 2.5 }, 28],
    ["streamed, the server decides the length", { streaming: true, oslStddev: 0 }, null],
  ];
  for (const [name, cfg, want] of cases) test(name, () => expect(chunkRowsBound(cfg)).toBe(want));
});

describe("blockBytesFor", () => {
  const cases: [number | null, number | null, number | undefined][] = [
    [1, 1, SMALL_BLOCK_BYTES],
    [SMALL_RUN_MAX_REQUESTS, SMALL_RUN_MAX_CHUNK_ROWS / SMALL_RUN_MAX_REQUESTS, SMALL_BLOCK_BYTES],
    [SMALL_RUN_MAX_REQUESTS, SMALL_RUN_MAX_CHUNK_ROWS / SMALL_RUN_MAX_REQUESTS + 1, undefined],
    [SMALL_RUN_MAX_REQUESTS + 1, 1, undefined],
    [10, 2_000, SMALL_BLOCK_BYTES],
    [10, 2_001, undefined],
    [NO_REQUEST_LIMIT, 1, undefined],
    [null, 1, undefined],
    [16, null, undefined],
  ];
  for (const [max, chunks, want] of cases)
    test(`${max} requests of ${chunks} chunk rows -> ${want ?? "DuckDB's default"}`, () => expect(blockBytesFor(max, chunks)).toBe(want));
});
