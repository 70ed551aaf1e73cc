// Every endpoint type through the whole profile pipeline (body, headers, transport, reader, records,
// results.duckdb) against the built-in mock's route for that API.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EndpointType } from "../../src/client/endpoint-types.ts";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { runTestProfile, testProfileConfig } from "../helpers/profile-config.ts";

const OSL = 8;
const REASONING = 3;
const N = 6;
let dir = "";
let mock: MockServerHandle;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-endpoints-"));
  mock = await startMockServer({ port: 0, ttftMs: 5, itlMs: 1, reasoningTokens: REASONING });
});
afterAll(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function runOut(endpointType: EndpointType, streaming: boolean, fault?: string) {
  const cfg = testProfileConfig(mock.url, {
    endpointType,
    streaming,
    header: fault === undefined ? undefined : [`x-mock-fault: ${fault}`],
    concurrency: 2,
    requestCount: N,
    osl: OSL,
    artifactDir: join(dir, `${endpointType}-${streaming}-${fault ?? "ok"}`),
  });
  return runTestProfile(cfg, fakeIo(dir));
}

const run = async (endpointType: EndpointType, streaming: boolean, fault?: string) => (await runOut(endpointType, streaming, fault)).records;

describe("endpoint types against the mock", () => {
  for (const [type, streaming, reasoning] of [
    ["responses", true, true],
    ["responses", false, true],
    ["messages", true, true],
    ["messages", false, true],
    ["huggingface_generate", true, false],
    ["huggingface_generate", false, false],
  ] as const) {
    test(`${type}${streaming ? " --streaming" : ""}: text and ${reasoning ? "reasoning " : ""}tokens, server usage`, async () => {
      const records = await run(type, streaming);
      expect(records.length).toBe(N);
      expect(records.filter((r) => r.error !== null).map((r) => r.error)).toEqual([]);
      for (const r of records) {
        expect(r.output_tokens).toBeGreaterThan(0);
        expect(r.reasoning_tokens > 0).toBe(reasoning);
        expect(r.usage_completion_tokens).toBe(OSL);
        if (streaming) {
          expect(r.chunks.length).toBe(OSL);
          expect(r.first_token_ns).toBe(r.chunks[0]!.arrival_ns);
          expect(r.first_output_token_ns).toBe(r.chunks[reasoning ? REASONING : 0]!.arrival_ns);
        }
      }
    });
  }

  for (const type of ["nim_rankings", "hf_tei_rankings", "cohere_rankings"] as const) {
    test(`${type}: answers counted by latency only, no output tokens, no token metrics`, async () => {
      const out = await runOut(type, false);
      const records = out.records;
      const tags = out.summary.metrics.map((m) => m.tag);
      expect(tags).toContain("request_latency");
      expect(tags).toContain("request_throughput");
      expect(tags).toContain("input_sequence_length");
      expect(tags.filter((t) => /output|osl/.test(t))).toEqual([]);
      expect(records.length).toBe(N);
      expect(records.filter((r) => r.error !== null).map((r) => r.error)).toEqual([]);
      for (const r of records) {
        expect(r.output_tokens).toBe(0);
        expect(r.requested_output_tokens).toBeNull();
        expect(r.end_ns).toBeGreaterThan(r.start_ns);
      }
    });
  }

  // The mock's stream faults apply to every API's stream.
  for (const [type, fault, want] of [
    ["messages", "malformed", "malformed_response"],
    ["responses", "drop", "connection_error"],
    ["huggingface_generate", "drop", "connection_error"],
  ] as const) {
    test(`${type} --streaming with X-Mock-Fault ${fault}: every record is a ${want}`, async () => {
      const records = await run(type, true, fault);
      expect(records.map((r) => r.error?.type)).toEqual(Array(N).fill(want));
    });
  }
});
