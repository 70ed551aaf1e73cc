// A load worker driven through its port against the mock: token counts are made on its count worker,
// yet every record leaves the worker with its counts filled in, and all of them before "phase-done"
// (a record sent after it could miss the phase's storage).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Dataset } from "../../src/dataset/plan-types.ts";
import type { PhaseSpec, WorkerToMain } from "../../src/engine/worker-protocol.ts";
import type { RequestRecord } from "../../src/record/request-record.ts";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { runLoadWorker, singleTurnDataset } from "../helpers/load-worker-run.ts";
import { closedLoopPhase } from "../helpers/phase-spec.ts";
import { httpChunk, type RawHttpServer, rawHttpServer } from "../helpers/raw-http-server.ts";
import { decodeRecords } from "../../src/record/record-codec.ts";

let mock: MockServerHandle;
beforeAll(async () => {
  mock = await startMockServer({ port: 0, ttftMs: 0, itlMs: 0 });
});
afterAll(() => mock.stop());

const OSL = 12;
const dataset = (sessions: number): Dataset => singleTurnDataset(sessions, OSL);

/**
 * A raw server whose bodies end 60 ms after [DONE]: each request hands its record back only then, so
 * its counts (made in a few ms) are in before the record is: the other order of the two.
 */
function heldOpenServer(): RawHttpServer {
  const head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
  const events = ["hello", " there", " world"].map((w) => httpChunk(`data: {"choices":[{"index":0,"delta":{"content":"${w}"}}]}\n\n`)).join("");
  return rawHttpServer((s) => {
    s.write(head + events + httpChunk("data: [DONE]\n\n"));
    setTimeout(() => s.write("0\r\n\r\n"), 60);
  });
}

/** Runs one phase of `requests` single-turn sessions on a load worker against `url`; returns every message it posted and the phase it ran. */
async function runWorker(
  url: string,
  requests: number,
  concurrency: number,
  change: Partial<PhaseSpec> = {},
): Promise<{ got: WorkerToMain[]; spec: PhaseSpec }> {
  const ds = dataset(requests);
  return runLoadWorker(url, ds, () => ({ ...closedLoopPhase(ds, requests, concurrency), ...change }));
}

/** The records, after checking that no fatal came and that phase-done was the last message. */
function recordsBeforeDone({ got }: { got: WorkerToMain[] }): RequestRecord[] {
  expect(got.filter((m) => m.type === "fatal")).toEqual([]);
  const doneAt = got.findIndex((m) => m.type === "phase-done");
  expect(doneAt).toBe(got.length - 1);
  return got.flatMap((m) => (m.type === "records" ? decodeRecords(m.batch) : []));
}

describe("load worker: counts on the count worker", () => {
  test("every record carries its counts, and all records come before phase-done", async () => {
    const REQUESTS = 200;
    const records = recordsBeforeDone(await runWorker(`${mock.url}/v1/chat/completions`, REQUESTS, 16));
    expect(records.length).toBe(REQUESTS);
    expect(records.filter((r) => r.error !== null)).toEqual([]);
    // The mock sends OSL tokens of its word list, one per chunk: counted by the real tokenizer.
    expect(records.filter((r) => r.output_tokens !== OSL || r.usage_completion_tokens !== OSL).length).toBe(0);
    expect(records.filter((r) => r.chunks.length === 0 || r.chunks.some((c) => c.tokens < 1)).length).toBe(0);
    expect(records.filter((r) => r.chunks.reduce((n, c) => n + c.tokens, 0) !== r.output_tokens).length).toBe(0);
  }, 60_000);

  test("records handed back after their counts are in (body held open after [DONE]) go out once each, counted", async () => {
    const REQUESTS = 24;
    const srv = heldOpenServer();
    try {
      const records = recordsBeforeDone(await runWorker(srv.url, REQUESTS, 8));
      expect(records.length).toBe(REQUESTS);
      expect(new Set(records.map((r) => r.x_request_id)).size).toBe(REQUESTS);
      expect(records.filter((r) => r.error !== null)).toEqual([]);
      expect(records.filter((r) => r.chunks.length !== 3 || r.chunks.some((c) => c.tokens < 1)).length).toBe(0);
      expect(records.filter((r) => r.output_tokens < 3 || r.chunks.reduce((n, c) => n + c.tokens, 0) !== r.output_tokens).length).toBe(0);
      // Handed back at the body's end, 60 ms after [DONE] (end_ns), not at the grace period's end.
      expect(records.filter((r) => r.end_ns === 0 || (r.http?.last_byte_ns ?? 0) - r.end_ns < 40e6).length).toBe(0);
    } finally {
      srv.stop();
    }
  }, 60_000);

  test("the grace period's end cancels what is in flight, with no cancel from the main thread", async () => {
    // Streams that never end: one event, then nothing. Sending stops at 100 ms, the grace ends at 300 ms.
    const head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
    const srv = rawHttpServer((s) => s.write(head + httpChunk('data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n')));
    try {
      const run = await runWorker(srv.url, 1000, 3, { durationNs: 100e6, cancelAfterNs: 300e6 });
      const records = recordsBeforeDone(run);
      expect(records.length).toBe(3);
      expect(records.filter((r) => !r.cancelled || r.error?.code !== 499 || r.chunks.length !== 1).length).toBe(0);
      // Cancelled at the grace period's end, counted from the phase's start (the first send can lag it by
      // tens of ms on a loaded machine), not at the 30 s request timeout.
      const t0 = run.spec.startNs;
      expect(records.filter((r) => r.end_ns - t0 < 298e6 || r.end_ns - t0 > 2_000e6).length).toBe(0);
    } finally {
      srv.stop();
    }
  }, 30_000);
});
