// --user-centric-rate against the mock: each user's first send is where AIPerf's virtual-history
// schedule puts it, it sends the turns it was given, and each later turn is due at max(previous end,
// previous due + num_users / rate). Checked on the records' scheduled times, not on wall-clock timing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import type { RequestRecord } from "../../src/record/request-record.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { runTestProfile, testProfileConfig } from "../helpers/profile-config.ts";

let dir = "";
let mock: MockServerHandle;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-user-centric-"));
  mock = await startMockServer({ port: 0, ttftMs: 2, itlMs: 1 });
});
afterAll(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const MS = 1e6;

describe("--user-centric-rate", () => {
  test("first sends follow the virtual history; later turns keep the per-user gap", async () => {
    // 4 users at 10 req/s: stagger 100 ms, turn gap 4 / 10 s = 400 ms. Sessions of 3 turns: lifetime 2,
    // gcd(4, 2) > 1 so AIPerf's alternate spacing (step 3): users at 100 ms (1 turn), 200 ms (1 turn),
    // 300 ms (2 turns), and the new user at 0 with all 3; the 100 ms user's replacement comes at
    // 100 + 1 * 400 = 500 ms, the 200 ms user's at 600 ms.
    const cfg = testProfileConfig(mock.url, {
      concurrency: undefined,
      userCentricRate: 10,
      numUsers: 4,
      conversationTurnMean: 3,
      requestCount: 9,
      osl: 4,
      artifactDir: "uc",
    });
    const out = await runTestProfile(cfg, fakeIo(dir), { slos: [] });
    const rs = out.records.filter((r) => r.phase === "profiling");
    expect(rs.length).toBe(9);
    expect(rs.every((r) => r.error === null)).toBe(true);
    const t0 = Math.min(...rs.map((r) => r.scheduled_ns));
    const bySession = new Map<number, RequestRecord[]>();
    for (const r of rs) bySession.set(r.session_num, [...(bySession.get(r.session_num) ?? []), r]);
    const firstSends = [...bySession.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([s, turns]) => [s, Math.round((turns.find((t) => t.turn_index === 0)!.scheduled_ns - t0) / MS)]);
    // Due by 600 ms: o0 at 0, 400; o1 100; o2 200; o3 300; o4 500; o5 600 = 7 requests; then o3's
    // second turn (700) and o0's third (800) make 9.
    expect(firstSends).toEqual([
      [0, 0],
      [1, 100],
      [2, 200],
      [3, 300],
      [4, 500],
      [5, 600],
    ]);
    const turnCounts = [...bySession.entries()].sort((a, b) => a[0] - b[0]).map(([s, t]) => [s, t.length]);
    expect(turnCounts).toEqual([
      [0, 3],
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 1],
      [5, 1],
    ]);
    // Every later turn: due at max(previous end, previous due + 400 ms).
    let later = 0;
    for (const turns of bySession.values()) {
      const sorted = [...turns].sort((a, b) => a.turn_index - b.turn_index);
      for (let k = 1; k < sorted.length; k++) {
        const prev = sorted[k - 1]!;
        expect(sorted[k]!.scheduled_ns).toBe(Math.max(prev.end_ns, prev.scheduled_ns + 400 * MS));
        later++;
      }
    }
    expect(later).toBe(3);
  }, 60_000);
});
