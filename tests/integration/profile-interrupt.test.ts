// Ctrl-C during a profile: sending stops, in-flight requests are cancelled and still recorded.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { executeProfile } from "../../src/run/profile-run.ts";
import { queryReadOnly } from "../../src/store/read-db.ts";
import { fakeIo } from "../helpers/fake-io.ts";

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
  const t0 = performance.now();
  // 50 tokens x 20 ms = 1 s per request; interrupt after 300 ms with 4 in flight.
  setTimeout(() => io.raise("SIGINT"), 300);
  const out = await executeProfile(
    { url: mock.url, model: "m", endpointType: "chat", concurrency: 4, requestCount: 100, isl: 8, osl: 50, randomSeed: 0, requestTimeoutMs: 10_000, artifactDir: "run", apiKey: null },
    io,
  );
  expect(performance.now() - t0).toBeLessThan(2000);
  expect(out.interrupted).toBe(true);
  expect(out.records.length).toBe(4);
  for (const r of out.records) {
    expect(r.cancelled).toBe(true);
    expect(r.error?.code).toBe(499);
    expect(r.chunks.length).toBeGreaterThan(0); // partial streams keep the chunks they got
  }
  const rs = await queryReadOnly(out.dbPath, "select count(*), count(*) filter (where cancelled) from requests");
  expect(rs.rows[0]).toEqual([4, 4]);
});
