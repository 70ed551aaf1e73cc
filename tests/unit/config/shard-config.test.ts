import { describe, expect, test } from "bun:test";
import { parseProfileFlags, resolveProfileConfig } from "../../../src/config/profile-config.ts";
import { formatRfc3339, parseRfc3339Ns } from "../../../src/config/rfc3339.ts";
import { processConcurrency, resolveShard, runGroupId, shardSlot } from "../../../src/config/shard-config.ts";

describe("parseRfc3339Ns", () => {
  test.each([
    ["2026-12-01T10:00:00Z", Date.UTC(2026, 11, 1, 10) * 1e6],
    ["2026-12-01t10:00:00z", Date.UTC(2026, 11, 1, 10) * 1e6],
    ["2026-12-01 10:00:00Z", Date.UTC(2026, 11, 1, 10) * 1e6],
    ["2026-12-01T11:00:00+01:00", Date.UTC(2026, 11, 1, 10) * 1e6],
    ["2026-12-01T05:30:00-04:30", Date.UTC(2026, 11, 1, 10) * 1e6],
    ["2026-12-01T10:00:00.25Z", Date.UTC(2026, 11, 1, 10) * 1e6 + 250e6],
    ["2024-02-29T00:00:00Z", Date.UTC(2024, 1, 29) * 1e6],
  ])("%s", (text, ns) => {
    expect(parseRfc3339Ns(text)).toBe(ns);
  });

  test.each([
    "2026-12-01T10:00:00",
    "2026-12-01",
    "10:00:00Z",
    "2026-13-01T10:00:00Z",
    "2025-02-29T00:00:00Z",
    "2026-12-01T24:00:00Z",
    "now",
    "1764583200",
    "",
  ])("not RFC 3339: %p", (text) => {
    expect(parseRfc3339Ns(text)).toBeNull();
  });

  test("formats back in UTC", () => {
    expect(formatRfc3339(parseRfc3339Ns("2026-12-01T11:00:00.5+01:00")!)).toBe("2026-12-01T10:00:00.500Z");
  });
});

describe("resolveShard", () => {
  test.each([
    ["no flags, no environment: one process", {}, {}, { shardIndex: 0, shardCount: 1 }, []],
    ["flags", { shardIndex: 2, shardCount: 4 }, {}, { shardIndex: 2, shardCount: 4 }, []],
    ["an Indexed Job: both from the environment", {}, { JOB_COMPLETION_INDEX: "3", LLMBENCH_SHARD_COUNT: "4" }, { shardIndex: 3, shardCount: 4 }, []],
    [
      "flags win over the environment",
      { shardIndex: 1, shardCount: 2 },
      { JOB_COMPLETION_INDEX: "3", LLMBENCH_SHARD_COUNT: "4" },
      { shardIndex: 1, shardCount: 2 },
      [],
    ],
    ["an Indexed Job that does not shard: the index alone means nothing", {}, { JOB_COMPLETION_INDEX: "5" }, { shardIndex: 0, shardCount: 1 }, []],
    [
      "a count without an index",
      { shardCount: 3 },
      {},
      { shardIndex: 0, shardCount: 3 },
      ["--shard-count 3 needs --shard-index (0..2), or JOB_COMPLETION_INDEX as an Indexed Job sets it"],
    ],
    [
      "an index past the count",
      { shardIndex: 4, shardCount: 4 },
      {},
      { shardIndex: 4, shardCount: 4 },
      ["--shard-index 4 is past the last shard: --shard-count 4 has shards 0..3"],
    ],
    [
      "an environment index past the count",
      {},
      { JOB_COMPLETION_INDEX: "4", LLMBENCH_SHARD_COUNT: "4" },
      { shardIndex: 4, shardCount: 4 },
      ["JOB_COMPLETION_INDEX=4 is past the last shard: --shard-count 4 has shards 0..3"],
    ],
    [
      "a bad count in the environment",
      {},
      { LLMBENCH_SHARD_COUNT: "four" },
      { shardIndex: 0, shardCount: 1 },
      ["LLMBENCH_SHARD_COUNT=four (the --shard-count default): must be a whole number >= 1"],
    ],
    [
      "a bad index in the environment",
      { shardCount: 2 },
      { JOB_COMPLETION_INDEX: "-1" },
      { shardIndex: 0, shardCount: 2 },
      ["JOB_COMPLETION_INDEX=-1 (the --shard-index default): must be a whole number >= 0"],
    ],
  ])("%s", (_, flags, env, want, problems) => {
    const got: string[] = [];
    expect(resolveShard(flags, env, got)).toEqual({ ...want, startAtNs: null });
    expect(got).toEqual(problems);
  });

  test("--start-at: parsed, or one line", () => {
    const problems: string[] = [];
    expect(resolveShard({ startAt: "2026-12-01T10:00:00Z" }, {}, problems).startAtNs).toBe(Date.UTC(2026, 11, 1, 10) * 1e6);
    expect(resolveShard({ startAt: "tomorrow" }, {}, problems).startAtNs).toBeNull();
    expect(problems).toEqual(["--start-at tomorrow: not an RFC 3339 time; use e.g. 2026-12-01T10:00:00Z or 2026-12-01T11:00:00+01:00"]);
  });

  test("slot and per-process concurrency", () => {
    expect(shardSlot({ shardIndex: 0, shardCount: 1 })).toBeNull();
    expect(shardSlot({ shardIndex: 1, shardCount: 3 })).toEqual({ index: 1, count: 3 });
    expect(processConcurrency({ concurrency: 10, shardIndex: 3, shardCount: 4 })).toBe(2);
    expect(processConcurrency({ concurrency: 10, shardIndex: 0, shardCount: 1 })).toBe(10);
    expect(processConcurrency({ concurrency: null, shardIndex: 0, shardCount: 4 })).toBeNull();
  });
});

describe("runGroupId", () => {
  const flags = { model: "m", concurrency: 8, shardCount: 4, startAt: "2026-12-01T10:00:00Z" };
  test("the same for every shard and artifact directory; different for another load or start", () => {
    const id = runGroupId(flags);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(runGroupId({ ...flags, shardIndex: 3, artifactDir: "/results/shard-3", ui: "none", workers: 2, overwrite: true })).toBe(id);
    expect(runGroupId({ concurrency: 8, startAt: "2026-12-01T10:00:00Z", model: "m", shardCount: 4 })).toBe(id);
    expect(runGroupId({ ...flags, concurrency: 9 })).not.toBe(id);
    expect(runGroupId({ ...flags, startAt: "2026-12-01T10:05:00Z" })).not.toBe(id);
  });
});

describe("resolveProfileConfig with shards", () => {
  const resolveWith = (raw: Record<string, string | boolean>, env: Record<string, string> = {}) => {
    const { flags, given, problems } = parseProfileFlags({ model: "m", ...raw });
    expect(problems).toEqual([]);
    return resolveProfileConfig(flags, { given, stderrIsTTY: false, env });
  };

  test("flags and environment become the config; the group is shared by the shards", () => {
    const a = resolveWith({ concurrency: "8", "shard-count": "4", "shard-index": "1", "start-at": "2026-12-01T10:00:00Z", "artifact-dir": "a" });
    const b = resolveWith(
      { concurrency: "8", "start-at": "2026-12-01T10:00:00Z", "artifact-dir": "b" },
      { JOB_COMPLETION_INDEX: "2", LLMBENCH_SHARD_COUNT: "4" },
    );
    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
    expect([a.config.shardIndex, a.config.shardCount, b.config.shardIndex, b.config.shardCount]).toEqual([1, 4, 2, 4]);
    expect(a.config.startAtNs).toBe(Date.UTC(2026, 11, 1, 10) * 1e6);
    // --shard-count given in one, from the environment in the other: one run all the same.
    expect(b.config.runGroup).toBe(a.config.runGroup);
    expect(resolveWith({ concurrency: "8", "shard-count": "2", "shard-index": "1", "start-at": "2026-12-01T10:00:00Z" }).config.runGroup).not.toBe(
      a.config.runGroup,
    );
  });

  test.each([
    [
      { concurrency: "3", "shard-count": "4", "shard-index": "0" },
      ["--concurrency 3 is less than --shard-count 4: every shard needs at least one (shards split it as evenly as they can)"],
    ],
    [
      { "shard-count": "2", "shard-index": "0" },
      ["--concurrency 1 is less than --shard-count 2: every shard needs at least one (shards split it as evenly as they can)"],
    ],
    [
      { "request-rate": "100", concurrency: "2", "shard-count": "3", "shard-index": "0" },
      ["--concurrency (the in-flight cap) 2 is less than --shard-count 3: every shard needs at least one (shards split it as evenly as they can)"],
    ],
    [
      { concurrency: "8", "request-count": "3", "shard-count": "4", "shard-index": "0" },
      ["--request-count 3 is less than --shard-count 4: every shard needs at least one (shards split it as evenly as they can)"],
    ],
    [{ "request-rate": "100", "shard-count": "3", "shard-index": "2", "request-count": "30" }, []],
  ])("every shard gets a share: %p", (raw, problems) => {
    expect(resolveWith(raw).problems).toEqual(problems);
  });
});
