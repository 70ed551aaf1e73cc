// A server restart in the middle of a closed-loop run: lanes back off instead of turning the run into
// a flood of instant connection errors, every request sent is recorded once, requests succeed again
// once the server is back, and the log says how long it was unreachable.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { isConnectionFailure } from "../../src/metrics/unreachable.ts";
import type { RequestRecord } from "../../src/record/request-record.ts";

import { epochNs } from "../../src/runtime/clock.ts";
import { queryReadOnly } from "../../src/store/read-db.ts";
import { fakeIo, type FakeIo } from "../helpers/fake-io.ts";
import { waitForMetric } from "../helpers/mock-metrics.ts";
import { runTestProfile, testProfileConfig, type TestOutcome } from "../helpers/profile-config.ts";

let dir = "";
const live: MockServerHandle[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-outage-"));
});
afterAll(async () => {
  for (const m of live) await m.stop();
  rmSync(dir, { recursive: true, force: true });
});

const LANES = 4;
const OSL = 4;
const OUTAGE_MS = 1500;
/** Backoff: 10 ms doubling to 1 s makes 8 attempts per lane in 1.5 s; without it, thousands. */
const MAX_FAILED_PER_LANE = 15;
const mockOpts = { ttftMs: 20, itlMs: 5 };

interface Outage {
  /** Just before the server began to stop. */
  downNs: number;
  /** Just before the new server began to listen. */
  upNs: number;
}

/** Takes the server down once `doneFirst` requests finished, for OUTAGE_MS, then brings it back on the same port. */
async function restartMidRun(first: MockServerHandle, doneFirst: number): Promise<Outage> {
  await waitForMetric(first.url, "vllm:generation_tokens_total", doneFirst * OSL, 20_000);
  const downNs = epochNs();
  await first.stop();
  await Bun.sleep(OUTAGE_MS);
  const upNs = epochNs();
  live.push(await startMockServer({ port: first.port, ...mockOpts }));
  return { downNs, upNs };
}

/** Every request sent is recorded exactly once: in the outcome, DuckDB and the JSONL. */
async function expectAllAccounted(out: TestOutcome): Promise<void> {
  const n = out.records.length;
  expect(new Set(out.records.map((r) => r.x_request_id)).size).toBe(n);
  // Indices are claimed before each send, so a gap would be a request sent and lost.
  expect(out.records.map((r) => r.request_index).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  const db = await queryReadOnly(out.dbPath, "select count(*), count(distinct x_request_id) from requests");
  expect(db.rows[0]).toEqual([n, n]);
  expect(readFileSync(join(out.dir, "profile_export.jsonl"), "utf8").trim().split("\n").length).toBe(n);
}

function expectBackedOff(rs: RequestRecord[], o: Outage, io: FakeIo): void {
  const failed = rs.filter(isConnectionFailure);
  expect(failed.length).toBeGreaterThanOrEqual(LANES);
  expect(failed.length).toBeLessThanOrEqual(LANES * MAX_FAILED_PER_LANE);
  // Nothing failed while the server was up; requests succeed again once it is back.
  expect(failed.filter((r) => r.end_ns < o.downNs).length).toBe(0);
  expect(rs.filter((r) => r.error === null && r.start_ns > o.upNs).length).toBeGreaterThan(LANES);
  const lines = io.stderr
    .join("")
    .split("\n")
    .filter((l) => l.includes("server unreachable for"));
  expect(lines.length).toBe(1);
  expect(lines[0]).toContain(`(${failed.length} attempts)`);
}

describe("server restart mid-run (closed loop)", () => {
  test("--request-count: lanes back off, the run outlasts the outage, every request accounted for", async () => {
    const mock = await startMockServer({ port: 0, ...mockOpts });
    const io = fakeIo(dir);
    const run = runTestProfile(testProfileConfig(mock.url, { concurrency: LANES, requestCount: 200, osl: OSL, artifactDir: "count" }), io);
    const outage = await restartMidRun(mock, 20);
    const out = await run;
    expect(out.records.length).toBe(200);
    await expectAllAccounted(out);
    expectBackedOff(out.records, outage, io);
  }, 60_000);

  test("--benchmark-duration: a few failed attempts per lane, not thousands", async () => {
    const mock = await startMockServer({ port: 0, ...mockOpts });
    const io = fakeIo(dir);
    const cfg = testProfileConfig(mock.url, { concurrency: LANES, benchmarkDuration: 3.5, benchmarkGracePeriod: 2, osl: OSL, artifactDir: "duration" });
    const run = runTestProfile(cfg, io);
    const outage = await restartMidRun(mock, 20);
    const out = await run;
    await expectAllAccounted(out);
    expectBackedOff(out.records, outage, io);
  }, 60_000);
});
