import { describe, expect, test } from "bun:test";
import { maxRunRequests, NO_REQUEST_LIMIT } from "../../../src/config/profile-config.ts";
import { blockBytesFor, SMALL_BLOCK_BYTES, SMALL_RUN_MAX_REQUESTS } from "../../../src/store/block-size.ts";

describe("maxRunRequests", () => {
  const cases: [string, { requestCount: number; warmupRequestCount: number; warmupDuration?: number }, number | null][] = [
    ["a request bound", { requestCount: 16, warmupRequestCount: 0 }, 16],
    ["warmup requests count too", { requestCount: 16, warmupRequestCount: 4 }, 20],
    ["time bounds the profiling phase", { requestCount: NO_REQUEST_LIMIT, warmupRequestCount: 0 }, null],
    ["time bounds the warmup", { requestCount: 16, warmupRequestCount: 0, warmupDuration: 5 }, null],
  ];
  for (const [name, cfg, want] of cases) test(name, () => expect(maxRunRequests(cfg)).toBe(want));
});

describe("blockBytesFor", () => {
  const cases: [number | null, number | undefined][] = [
    [1, SMALL_BLOCK_BYTES],
    [SMALL_RUN_MAX_REQUESTS, SMALL_BLOCK_BYTES],
    [SMALL_RUN_MAX_REQUESTS + 1, undefined],
    [NO_REQUEST_LIMIT, undefined],
    [null, undefined],
  ];
  for (const [max, want] of cases) test(`${max} requests -> ${want ?? "DuckDB's default"}`, () => expect(blockBytesFor(max)).toBe(want));
});
