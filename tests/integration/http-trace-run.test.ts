// `llmbench profile` with the HTTP trace flags against the mock: http_req_* metrics in every record,
// the summary and each time slice; --export-http-trace adds trace_data to profile_export.jsonl;
// --show-trace-timing prints the trace table after the summary.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/commands.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { queryReadOnly } from "../../src/store/read-db.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { mockProfileArgs } from "../helpers/mock-profile-args.ts";

let mock: MockServerHandle;
let dir: string;
beforeAll(async () => {
  mock = await startMockServer({ ttftMs: 30, itlMs: 3 });
  dir = mkdtempSync(join(tmpdir(), "llmbench-trace-"));
});
afterAll(async () => {
  await mock.stop();
  rmSync(dir, { recursive: true, force: true });
});

const PHASE_TAGS = ["http_req_blocked", "http_req_connecting", "http_req_sending", "http_req_waiting", "http_req_receiving", "http_req_duration"];

function lines(path: string): Record<string, unknown>[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("profile with --export-http-trace --show-trace-timing", () => {
  let io: ReturnType<typeof fakeIo>;
  let out: string;
  beforeAll(async () => {
    io = fakeIo(dir);
    const args = [
      "--request-count",
      "16",
      "--concurrency",
      "2",
      "--osl",
      "8",
      "--slice-duration",
      "0.1",
      "--export-http-trace",
      "--show-trace-timing",
      "--artifact-dir",
      "traced",
    ];
    expect(await runCli(mockProfileArgs(mock.url, args), COMMANDS, io)).toBe(0);
    out = join(dir, "traced");
  }, 60_000);

  test("every record has trace_data in AIPerf's layout, and its http_req_* metrics in ms", () => {
    const recs = lines(join(out, "profile_export.jsonl"));
    expect(recs.length).toBe(16);
    for (const r of recs) {
      expect(Object.keys(r)).toEqual(["metadata", "metrics", "trace_data"]);
      const t = r.trace_data as Record<string, number | string>;
      expect(t.trace_type).toBe("http1");
      expect(t.response_status_code).toBe(200);
      for (const k of [
        "request_send_start_ns",
        "request_send_end_ns",
        "response_receive_start_ns",
        "response_receive_end_ns",
        "response_headers_received_ns",
      ]) {
        expect(t[k] as number).toBeGreaterThan(1.7e18);
      }
      expect((t.sending_ns as number) + (t.waiting_ns as number) + (t.receiving_ns as number)).toBe(t.duration_ns as number);
      expect((t.response_receive_end_ns as number) - (t.request_send_start_ns as number)).toBe(t.duration_ns as number);
      // A fresh connection has its connect stamps; a reused one its reuse stamp instead.
      expect(("tcp_connect_start_ns" in t && "connecting_ns" in t) !== "connection_reused_ns" in t).toBe(true);
      const m = r.metrics as Record<string, { value: number; unit: string }>;
      for (const tag of PHASE_TAGS) {
        expect(m[tag]!.unit).toBe("ms");
        expect(m[tag]!.value).toBeGreaterThanOrEqual(0);
      }
      expect(m.http_req_duration!.value).toBeCloseTo((t.duration_ns as number) * 1e-6, 9);
      expect(m.http_req_data_sent!.unit).toBe("KB");
      expect(m.http_req_connection_reused!.unit).toBe("ratio");
    }
    // The run opens its two connections before the load starts (preconnect): no request pays a connect.
    const metric = (tag: string) => recs.map((r) => (r.metrics as Record<string, { value: number }>)[tag]!.value);
    expect(metric("http_req_connection_reused")).toEqual(Array(16).fill(1));
    expect(metric("http_req_connecting")).toEqual(Array(16).fill(0));
  });

  test("the summary JSON and the trace table show the phases; the main table does not", () => {
    const summary = JSON.parse(readFileSync(join(out, "profile_export_aiperf.json"), "utf8")) as Record<string, { unit: string; avg: number }>;
    for (const tag of PHASE_TAGS) expect(summary[tag]!.unit).toBe("ms");
    expect(summary.http_req_waiting!.avg).toBeGreaterThan(0);
    const stdout = io.stdout.join("");
    const traceAt = stdout.indexOf("llmbench | HTTP Trace Timing");
    expect(traceAt).toBeGreaterThan(stdout.indexOf("llmbench | LLM Metrics"));
    expect(stdout.slice(0, traceAt)).not.toContain("HTTP Waiting");
    // Fitted to the 80 columns a non-terminal gets: long headers wrap, so look for words.
    for (const h of ["HTTP Blocked", "HTTP Connecting", "HTTP Sending", "HTTP Waiting", "(TTFB)", "HTTP Receiving", "HTTP Duration", "Reused (ratio)"]) {
      expect(stdout.slice(traceAt)).toContain(h);
    }
  });

  test("each time slice has the phase metrics: timeslices JSON and the slices table", async () => {
    const ts = JSON.parse(readFileSync(join(out, "profile_export_aiperf_timeslices.json"), "utf8")) as { timeslices: Record<string, unknown>[] };
    expect(ts.timeslices.length).toBeGreaterThan(1);
    for (const s of ts.timeslices) for (const tag of PHASE_TAGS) expect(s[tag]).toBeDefined();
    const db = join(out, "results.duckdb");
    const rs = await queryReadOnly(db, "SELECT count(DISTINCT slice_index), count(*) FROM slices WHERE metric = 'http_req_waiting'");
    expect(rs.rows[0]!.map(Number)).toEqual([ts.timeslices.length, ts.timeslices.length]);
    const cols = await queryReadOnly(db, "SELECT count(*), count(http_req_waiting), count(http_req_connection_reused) FROM requests WHERE phase = 'profiling'");
    expect(cols.rows[0]!.map(Number)).toEqual([16, 16, 16]);
  });
});

test("without the flags: the http_req_* metrics are recorded, but no trace_data and no trace table", async () => {
  const io = fakeIo(dir);
  expect(await runCli(mockProfileArgs(mock.url, ["--request-count", "4", "--concurrency", "1", "--osl", "4", "--artifact-dir", "plain"]), COMMANDS, io)).toBe(
    0,
  );
  const recs = lines(join(dir, "plain", "profile_export.jsonl"));
  expect(recs.length).toBe(4);
  expect(recs.filter((r) => "trace_data" in r).length).toBe(0);
  expect(recs.filter((r) => "http_req_waiting" in (r.metrics as object)).length).toBe(4);
  expect(io.stdout.join("")).not.toContain("HTTP Trace Timing");
}, 60_000);

test("--http-trace-metrics is an alias of --export-http-trace; with --transport fetch the trace has only the body reads", async () => {
  const io = fakeIo(dir);
  const args = [
    "--request-count",
    "3",
    "--concurrency",
    "1",
    "--osl",
    "4",
    "--transport",
    "fetch",
    "--http-trace-metrics",
    "--show-trace-timing",
    "--artifact-dir",
    "fetch",
  ];
  expect(await runCli(mockProfileArgs(mock.url, args), COMMANDS, io)).toBe(0);
  const recs = lines(join(dir, "fetch", "profile_export.jsonl"));
  expect(recs.length).toBe(3);
  for (const r of recs) {
    const t = r.trace_data as Record<string, unknown>;
    expect(Object.keys(t).sort()).toEqual([
      "receiving_ns",
      "response_headers_received_ns",
      "response_receive_end_ns",
      "response_receive_start_ns",
      "response_status_code",
      "trace_type",
    ]);
    expect(t.trace_type).toBe("fetch");
    expect(Object.keys(r.metrics as object).filter((k) => k.startsWith("http_req_"))).toEqual(["http_req_receiving"]);
  }
  expect(io.stdout.join("")).toContain("The fetch transport sees only the response body's reads");
}, 60_000);
