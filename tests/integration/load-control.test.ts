// Open-loop load against the mock: arrival schedules, the concurrency cap with queueing (coordinated
// omission made visible), prefill concurrency, ramps, warmup with its own load, client cancellation.
// Assertions are on what the records say happened (schedules, overlaps, counts), never on wall time.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { runTestProfile, runTestProfileCli } from "../helpers/profile-config.ts";
import { cancelAfterNs } from "../../src/schedule/cancellation.ts";
import type { RequestRecord } from "../../src/record/request-record.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { testProfileConfig } from "../helpers/profile-config.ts";

let dir = "";
let fast: MockServerHandle;
let slow: MockServerHandle;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-load-"));
  fast = await startMockServer({ port: 0, ttftMs: 2, itlMs: 1 });
  slow = await startMockServer({ port: 0, ttftMs: 60, itlMs: 5 });
});
afterAll(async () => {
  await fast?.stop();
  await slow?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Most requests in a given state at once: intervals [from(r), to(r)). */
function maxOverlap(records: readonly RequestRecord[], from: (r: RequestRecord) => number, to: (r: RequestRecord) => number): number {
  const ev: [number, number][] = [];
  for (const r of records) {
    ev.push([from(r), 1], [to(r), -1]);
  }
  ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let n = 0;
  let max = 0;
  for (const [, d] of ev) max = Math.max(max, (n += d));
  return max;
}

const profiling = (rs: readonly RequestRecord[]) => rs.filter((r) => r.phase === "profiling").sort((a, b) => a.scheduled_ns - b.scheduled_ns);

describe("open-loop load", () => {
  test("constant rate: requests are due exactly 1/rate apart and every one is sent", async () => {
    const cfg = testProfileConfig(fast.url, {
      concurrency: undefined,
      requestRate: 200,
      arrivalPattern: "constant",
      requestCount: 40,
      osl: 2,
      artifactDir: "const",
    });
    const out = await runTestProfile(cfg, fakeIo(dir), { slos: [] });
    const rs = profiling(out.records);
    expect(rs.length).toBe(40);
    expect(rs.every((r) => r.error === null)).toBe(true);
    // Exact up to float64's resolution at epoch ns (~1.7e18 ns: 256 ns steps).
    for (let i = 1; i < rs.length; i++) expect(Math.abs(rs[i]!.scheduled_ns - rs[i - 1]!.scheduled_ns - 5_000_000)).toBeLessThanOrEqual(512);
    // Nothing leaves before it is due.
    expect(rs.every((r) => r.start_ns >= r.scheduled_ns)).toBe(true);
    expect(out.schedule).not.toBeNull();
    expect(out.schedule!.requestedRatePerSec).toBe(200);
    expect(out.summary.metrics.some((m) => m.tag === "send_lag")).toBe(true);
    const json = JSON.parse(readFileSync(join(out.dir, "profile_export_aiperf.json"), "utf8")) as {
      llmbench_schedule: { requested_rate: number; requests: number; send_lag_ms: { p99: number } };
      send_lag: { unit: string };
    };
    expect(json.llmbench_schedule.requested_rate).toBe(200);
    expect(json.llmbench_schedule.requests).toBe(40);
    expect(json.send_lag.unit).toBe("ms");
  }, 30_000);

  test("poisson schedules repeat from the seed and differ across seeds", async () => {
    const run = async (seed: number, name: string) => {
      const out = await runTestProfile(
        testProfileConfig(fast.url, { concurrency: undefined, requestRate: 500, requestCount: 20, osl: 1, randomSeed: seed, artifactDir: name }),
        fakeIo(dir),
        { slos: [] },
      );
      const rs = profiling(out.records);
      return rs.map((r) => r.scheduled_ns - rs[0]!.scheduled_ns);
    };
    const a = await run(7, "p1");
    const b = await run(7, "p2");
    const c = await run(8, "p3");
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  }, 30_000);

  test("a server slower than rate and cap: latency from schedule grows, from send does not, and the console says so", async () => {
    // 40 req/s against a cap of 2 requests that each take ~60-100 ms: at most ~25 req/s get out.
    const cfg = testProfileConfig(slow.url, { concurrency: 2, requestRate: 40, arrivalPattern: "constant", requestCount: 24, osl: 4, artifactDir: "behind" });
    const io = fakeIo(dir);
    const code = await runTestProfileCli(cfg, io, { slos: [] });
    expect(code).toBe(0);
    const out = await runTestProfile(cfg, fakeIo(dir), { slos: [] });
    const rs = profiling(out.records);
    expect(rs.length).toBe(24);
    // Never more than the cap in flight.
    expect(
      maxOverlap(
        rs,
        (r) => r.start_ns,
        (r) => r.end_ns,
      ),
    ).toBeLessThanOrEqual(2);
    const fromSend = rs.map((r) => r.end_ns - r.start_ns);
    const fromSchedule = rs.map((r) => r.end_ns - r.scheduled_ns);
    const firstQ = rs.slice(0, 6);
    const lastQ = rs.slice(-6);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // The queue builds up: the last requests waited far longer than the first...
    expect(mean(lastQ.map((r) => r.queue_ns))).toBeGreaterThan(mean(firstQ.map((r) => r.queue_ns)) + 100e6);
    // ...which latency from the schedule shows and latency from the send does not.
    expect(mean(fromSchedule.slice(-6))).toBeGreaterThan(2 * mean(fromSend.slice(-6)));
    expect(mean(fromSend.slice(-6))).toBeLessThan(3 * mean(fromSend.slice(0, 6)));
    expect(out.schedule!.behind).toBe(true);
    expect(out.schedule!.queued).toBeGreaterThan(10);
    const text = io.stdout.join("");
    expect(text).toContain("fell behind");
    expect(text).toMatch(/Client queue: \d+ requests waited/);
  }, 60_000);

  test("prefill concurrency: never more requests waiting for their first token than the cap", async () => {
    const cfg = testProfileConfig(slow.url, { concurrency: 6, prefillConcurrency: 2, requestCount: 18, osl: 6, artifactDir: "prefill" });
    const out = await runTestProfile(cfg, fakeIo(dir), { slos: [] });
    const rs = profiling(out.records);
    expect(rs.length).toBe(18);
    expect(rs.every((r) => r.error === null && r.first_token_ns > 0)).toBe(true);
    expect(
      maxOverlap(
        rs,
        (r) => r.start_ns,
        (r) => r.first_token_ns,
      ),
    ).toBeLessThanOrEqual(2);
    // Decode still overlaps beyond the prefill cap, and the waits were recorded as queue time.
    expect(
      maxOverlap(
        rs,
        (r) => r.start_ns,
        (r) => r.end_ns,
      ),
    ).toBeGreaterThan(2);
    expect(rs.some((r) => r.queue_ns > 0)).toBe(true);
  }, 30_000);

  test("concurrency ramp: lanes join one by one", async () => {
    // 3 lanes over 0.6 s: lane 1 joins at 0.3 s, lane 2 at 0.6 s; requests take ~70 ms.
    const cfg = testProfileConfig(slow.url, {
      concurrency: 3,
      concurrencyRampDuration: 0.6,
      benchmarkDuration: 1.2,
      benchmarkGracePeriod: 5,
      osl: 2,
      artifactDir: "ramp",
    });
    const out = await runTestProfile(cfg, fakeIo(dir), { slos: [] });
    const rs = profiling(out.records);
    const t0 = rs[0]!.start_ns;
    const early = rs.filter((r) => r.start_ns < t0 + 0.25e9);
    expect(early.length).toBeGreaterThan(1);
    expect(
      maxOverlap(
        early,
        (r) => r.start_ns,
        (r) => r.end_ns,
      ),
    ).toBe(1);
    expect(
      maxOverlap(
        rs,
        (r) => r.start_ns,
        (r) => r.end_ns,
      ),
    ).toBe(3);
  }, 30_000);

  test("warmup runs first with its own concurrency; indices continue into profiling", async () => {
    const cfg = testProfileConfig(fast.url, { concurrency: 4, warmupRequestCount: 5, warmupConcurrency: 1, requestCount: 8, osl: 2, artifactDir: "warm" });
    const out = await runTestProfile(cfg, fakeIo(dir), { slos: [] });
    const warm = out.records.filter((r) => r.phase === "warmup");
    const prof = out.records.filter((r) => r.phase === "profiling");
    expect(warm.length).toBe(5);
    expect(prof.length).toBe(8);
    expect(
      maxOverlap(
        warm,
        (r) => r.start_ns,
        (r) => r.end_ns,
      ),
    ).toBe(1);
    expect(Math.max(...warm.map((r) => r.end_ns))).toBeLessThanOrEqual(Math.min(...prof.map((r) => r.start_ns)));
    expect(warm.map((r) => r.request_index).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
    expect(prof.map((r) => r.request_index).sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    expect(out.summary.metrics.find((m) => m.tag === "request_count")?.avg).toBe(8);
  }, 30_000);

  test("client cancellation: exactly the picked requests are cancelled, with code 499, never successes", async () => {
    const cfg = testProfileConfig(slow.url, {
      concurrency: 8,
      requestCount: 40,
      osl: 20,
      requestCancellationRate: 30,
      requestCancellationDelay: 0.02,
      randomSeed: 3,
      artifactDir: "cancel",
    });
    const out = await runTestProfile(cfg, fakeIo(dir), { slos: [] });
    const rs = out.records;
    expect(rs.length).toBe(40);
    const picked = new Set(Array.from({ length: 40 }, (_, i) => i).filter((i) => cancelAfterNs(3, i, 30, 0.02) !== null));
    expect(picked.size).toBeGreaterThan(3);
    const cancelled = new Set(rs.filter((r) => r.cancelled).map((r) => r.request_index));
    expect(cancelled).toEqual(picked);
    for (const r of rs.filter((x) => x.cancelled)) {
      expect(r.error?.code).toBe(499);
    }
    expect(out.summary.metrics.find((m) => m.tag === "request_count")?.avg).toBe(40 - picked.size);
  }, 30_000);

  test("warmup at its own request rate, then closed-loop profiling", async () => {
    const cfg = testProfileConfig(fast.url, {
      concurrency: 2,
      warmupRequestCount: 6,
      warmupRequestRate: 50,
      warmupArrivalPattern: "constant",
      requestCount: 4,
      osl: 2,
      artifactDir: "warm-rate",
    });
    const out = await runTestProfile(cfg, fakeIo(dir), { slos: [] });
    const warm = out.records.filter((r) => r.phase === "warmup").sort((a, b) => a.scheduled_ns - b.scheduled_ns);
    expect(warm.length).toBe(6);
    for (let i = 1; i < warm.length; i++) expect(Math.abs(warm[i]!.scheduled_ns - warm[i - 1]!.scheduled_ns - 20e6)).toBeLessThanOrEqual(512);
    expect(out.records.filter((r) => r.phase === "profiling").length).toBe(4);
    expect(out.schedule).toBeNull(); // profiling was closed loop and nothing queued
  }, 30_000);

  test("a timed warmup (--warmup-duration) stops sending when its time is up, then profiling runs its count", async () => {
    const cfg = testProfileConfig(slow.url, { concurrency: 2, warmupDuration: 0.4, requestCount: 4, osl: 2, artifactDir: "warm-time" });
    const out = await runTestProfile(cfg, fakeIo(dir), { slos: [] });
    const warm = out.records.filter((r) => r.phase === "warmup");
    const t0 = Math.min(...warm.map((r) => r.start_ns));
    expect(warm.length).toBeGreaterThan(2);
    expect(warm.every((r) => r.start_ns < t0 + 0.4e9 + 5e6)).toBe(true);
    expect(out.records.filter((r) => r.phase === "profiling").length).toBe(4);
    expect(Math.min(...out.records.filter((r) => r.phase === "profiling").map((r) => r.request_index))).toBe(warm.length);
  }, 30_000);

  // No --request-count: the file is sent once through, so a slow answer cannot let a third arrival
  // restart s1 before s2 ends (with a count, sessions cycle and the order depends on timing).
  test("multi-turn sessions under a request rate: arrivals start sessions, later turns follow their delays", async () => {
    const file = join(dir, "mt.jsonl");
    writeFileSync(
      file,
      [
        JSON.stringify({ session_id: "s1", turns: [{ text: "a b c" }, { text: "d e", delay: 30 }] }),
        JSON.stringify({ session_id: "s2", turns: [{ text: "f g" }, { text: "h", delay: 10 }] }),
      ].join("\n"),
    );
    const cfg = testProfileConfig(fast.url, {
      concurrency: undefined,
      requestRate: 20,
      arrivalPattern: "constant",
      inputFile: file,
      customDatasetType: "multi_turn",
      osl: 2,
      artifactDir: "mt-rate",
    });
    const out = await runTestProfile(cfg, fakeIo(dir), { slos: [] });
    const rs = [...out.records].sort((a, b) => a.conversation_id.localeCompare(b.conversation_id) || a.turn_index - b.turn_index);
    expect(rs.map((r) => `${r.conversation_id}/${r.turn_index}`)).toEqual(["s1/0", "s1/1", "s2/0", "s2/1"]);
    // The sessions' first turns are 1/rate apart; each second turn is due its delay after the first ended.
    expect(Math.abs(rs[2]!.scheduled_ns - rs[0]!.scheduled_ns - 50e6)).toBeLessThanOrEqual(512);
    expect(Math.abs(rs[1]!.scheduled_ns - rs[0]!.end_ns - 30e6)).toBeLessThanOrEqual(512);
    expect(Math.abs(rs[3]!.scheduled_ns - rs[2]!.end_ns - 10e6)).toBeLessThanOrEqual(512);
  }, 30_000);
});
