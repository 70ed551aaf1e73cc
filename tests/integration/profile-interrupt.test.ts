// Ctrl-C during a profile: sending stops, in-flight requests are cancelled and still recorded.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { runTestProfile } from "../helpers/profile-config.ts";
import { queryReadOnly } from "../../src/store/read-db.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { testProfileConfig } from "../helpers/profile-config.ts";
import { waitForMetric } from "../helpers/mock-metrics.ts";

let dir = "";
let mock: MockServerHandle;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-int-"));
  mock = await startMockServer({ port: 0, ttftMs: 5, itlMs: 20 });
});
afterAll(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("SIGINT cancels in-flight requests, records them, and keeps finished ones", async () => {
  const io = fakeIo(dir);
  // 50 tokens x 20 ms = 1 s per request; interrupt once 4 are in flight.
  const run = runTestProfile(testProfileConfig(mock.url, { concurrency: 4, requestCount: 100, isl: 8, osl: 50 }), io, { slos: [] });
  await waitForMetric(mock.url, "vllm:num_requests_running", 4, 15_000);
  await Bun.sleep(150); // a few chunks into each stream
  io.raise("SIGINT");
  const out = await run;
  expect(out.interrupted).toBe(true);
  expect(out.records.length).toBe(4);
  for (const r of out.records) {
    expect(r.cancelled).toBe(true);
    expect(r.error?.code).toBe(499);
    expect(r.chunks.length).toBeGreaterThan(0); // partial streams keep the chunks they got
  }
  const rs = await queryReadOnly(out.dbPath, "select count(*), count(*) filter (where cancelled) from requests");
  expect(rs.rows[0]).toEqual([4, 4]);
  const lines = readFileSync(join(out.dir, "profile_export.jsonl"), "utf8").trim().split("\n");
  expect(lines.length).toBe(4);
  for (const l of lines) {
    const j = JSON.parse(l) as { metadata: { was_cancelled: boolean }; error: { code: number } };
    expect(j.metadata.was_cancelled).toBe(true);
    expect(j.error.code).toBe(499);
  }
  const summary = JSON.parse(readFileSync(join(out.dir, "profile_export_aiperf.json"), "utf8")) as { was_cancelled: boolean };
  expect(summary.was_cancelled).toBe(true);
}, 30_000);

test("a second SIGINT exits at once (code 130)", async () => {
  const io = fakeIo(dir);
  const run = runTestProfile(testProfileConfig(mock.url, { concurrency: 2, requestCount: 100, isl: 8, osl: 50, artifactDir: "twice" }), io, { slos: [] });
  await waitForMetric(mock.url, "vllm:num_requests_running", 2, 15_000);
  io.raise("SIGINT");
  io.raise("SIGINT");
  expect(io.exits).toEqual([130]);
  await run; // in a real process exit(130) ends it here; the fake lets the first Ctrl-C's clean-up finish
}, 30_000);

test("SIGINT in an open-loop run stops the schedule at once; every request sent is recorded", async () => {
  const io = fakeIo(dir);
  // 20 req/s for 100 requests (5 s of schedule), each ~1 s long.
  const run = runTestProfile(
    testProfileConfig(mock.url, {
      concurrency: undefined,
      requestRate: 20,
      arrivalPattern: "constant",
      requestCount: 100,
      isl: 8,
      osl: 50,
      artifactDir: "open",
    }),
    io,
    { slos: [] },
  );
  await waitForMetric(mock.url, "vllm:num_requests_running", 3, 15_000);
  io.raise("SIGINT");
  const out = await run;
  expect(out.interrupted).toBe(true);
  expect(out.records.length).toBeGreaterThanOrEqual(3);
  expect(out.records.length).toBeLessThan(20);
  expect(out.records.every((r) => r.cancelled && r.error?.code === 499)).toBe(true);
  const rs = await queryReadOnly(out.dbPath, "select count(*) from requests");
  expect(rs.rows[0]).toEqual([out.records.length]);
}, 30_000);
