// Every server fault: each request sent appears exactly once in the records, classified with its
// error code and type, and errors never reach the latency statistics.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import type { MockOptions } from "../../src/mock/mock-options.ts";
import { runTestProfile } from "../helpers/profile-config.ts";
import { queryReadOnly } from "../../src/store/read-db.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { testProfileConfig } from "../helpers/profile-config.ts";

let dir = "";
const servers: { stop(): unknown }[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-faults-"));
});
afterAll(async () => {
  for (const s of servers) await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

const N = 12;

/** Runs N requests against `url` and checks the accounting; returns the error types seen. */
async function runAgainst(url: string, name: string, timeoutS = 2): Promise<Map<string, number>> {
  const out = await runTestProfile(
    testProfileConfig(url, { requestCount: N, osl: 8, concurrency: 3, requestTimeoutSeconds: timeoutS, artifactDir: name }),
    fakeIo(dir),
    { slos: [] },
  );
  // Exactly once each, in the records, in DuckDB and in the JSONL.
  expect(out.records.length).toBe(N);
  expect(new Set(out.records.map((r) => r.x_request_id)).size).toBe(N);
  const db = await queryReadOnly(out.dbPath, "select count(*), count(distinct x_request_id), count(*) filter (where error_type is not null) from requests");
  const failed = out.records.filter((r) => r.error !== null).length;
  expect(db.rows[0]).toEqual([N, N, failed]);
  const lines = readFileSync(join(out.dir, "profile_export.jsonl"), "utf8").trim().split("\n");
  expect(lines.length).toBe(N);
  // Errors never pollute latency statistics: only successful requests are counted there.
  const count = out.summary.metrics.find((m) => m.tag === "request_count")?.avg ?? 0;
  const errs = out.summary.metrics.find((m) => m.tag === "error_request_count")?.avg ?? 0;
  expect(count).toBe(N - failed);
  expect(errs).toBe(failed);
  // TTFT statistics exist exactly when some request succeeded (the runs stream).
  const ttft = out.summary.metrics.find((m) => m.tag === "time_to_first_token");
  expect(ttft === undefined).toBe(failed === N);
  // Every failure carries a message.
  expect(out.records.filter((r) => r.error !== null && r.error.message === "").map((r) => r.x_request_id)).toEqual([]);
  const kinds = new Map<string, number>();
  for (const r of out.records) {
    const k = r.error ? `${r.error.type}/${r.error.code}` : "ok";
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  return kinds;
}

async function mockWith(opts: Partial<MockOptions>): Promise<MockServerHandle> {
  const m = await startMockServer({ port: 0, ttftMs: 2, itlMs: 1, ...opts });
  servers.push(m);
  return m;
}

describe("fault matrix", () => {
  const cases: [string, Partial<MockOptions>, string][] = [
    ["HTTP 500", { fault500Pct: 100 }, "http_error/500"],
    ["HTTP 429", { fault429Pct: 100 }, "http_error/429"],
    ["reset mid-stream", { faultDropPct: 100 }, "connection_error/0"],
    ["malformed SSE", { faultMalformedPct: 100 }, "malformed_response/0"],
    ["stalled stream", { faultStallPct: 100, stallSeconds: 30 }, "timeout/408"],
  ];
  for (const [name, opts, kind] of cases) {
    test(name, async () => {
      const m = await mockWith(opts);
      const kinds = await runAgainst(m.url, name.replace(/\W+/g, "-"), 1);
      expect([...kinds]).toEqual([[kind, N]]);
    }, 30_000);
  }

  test("connection refused", async () => {
    const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = l.port;
    l.stop(true);
    const kinds = await runAgainst(`http://127.0.0.1:${port}`, "refused");
    expect([...kinds]).toEqual([["connection_error/0", N]]);
  }, 30_000);

  test("slow headers past the request timeout", async () => {
    const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } }); // reads, never answers
    servers.push({ stop: () => s.stop(true) });
    const kinds = await runAgainst(`http://127.0.0.1:${s.port}`, "slow-headers", 0.5);
    expect([...kinds]).toEqual([["timeout/408", N]]);
  }, 30_000);

  test("a server that closes the stream without data: [DONE]", async () => {
    const enc = new TextEncoder();
    const s = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: () =>
        new Response(
          new ReadableStream({
            start(c) {
              c.enqueue(enc.encode('data: {"choices":[{"index":0,"delta":{"content":" the"}}]}\n\n'));
              c.close();
            },
          }),
          { headers: { "content-type": "text/event-stream" } },
        ),
    });
    servers.push({ stop: () => s.stop(true) });
    const kinds = await runAgainst(`http://127.0.0.1:${s.port}`, "no-done");
    expect([...kinds]).toEqual([["incomplete_response/0", N]]);
  }, 30_000);

  test("a mix of faults: every request accounted for", async () => {
    const m = await mockWith({ fault500Pct: 20, fault429Pct: 20, faultDropPct: 20, faultMalformedPct: 20, seed: 7 });
    const kinds = await runAgainst(m.url, "mix");
    const total = [...kinds.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(N);
    expect(kinds.size).toBeGreaterThan(2);
  }, 30_000);
});

describe("--failed-request-threshold", () => {
  test("aborts a run whose failure fraction passes it, and says so", async () => {
    const m = await mockWith({ fault500Pct: 60, seed: 1 });
    const cfg = testProfileConfig(m.url, { requestCount: 400, osl: 4, concurrency: 2, failedRequestThreshold: 0.2, artifactDir: "threshold" });
    const out = await runTestProfile(cfg, fakeIo(dir), { slos: [] });
    expect(out.abortedOnFailures).toBe(true);
    expect(out.records.length).toBeLessThan(400);
    expect(new Set(out.records.map((r) => r.x_request_id)).size).toBe(out.records.length);
  }, 30_000);
});
