// AIPerf's request and export options through the real CLI: X-Correlation-ID (or --session-header) per
// session, --use-legacy-max-tokens, --use-server-token-count, --export-level and --profile-export-prefix.
// A stand-in server records what it was sent and answers with usage counts the client cannot know.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/commands.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { mockProfileArgs } from "../helpers/mock-profile-args.ts";

interface Seen {
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

const USAGE_PROMPT_TOKENS = 777;
let seen: Seen[] = [];
let standIn: ReturnType<typeof Bun.serve>;
let mock: MockServerHandle;
let dir = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-aiperf-options-"));
  mock = await startMockServer({ port: 0, ttftMs: 1, itlMs: 1 });
  standIn = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      // Only completions are seen here (the run also asks for /metrics, which this server has not).
      if (req.method !== "POST") return new Response("not found", { status: 404 });
      const body = (await req.json()) as Record<string, unknown>;
      seen.push({ headers: Object.fromEntries(req.headers.entries()), body });
      return Response.json({
        id: "x",
        object: "chat.completion",
        model: "m",
        choices: [{ index: 0, message: { role: "assistant", content: "one two three" }, finish_reason: "stop" }],
        usage: { prompt_tokens: USAGE_PROMPT_TOKENS, completion_tokens: 3, total_tokens: USAGE_PROMPT_TOKENS + 3 },
      });
    },
  });
});
afterAll(async () => {
  await mock?.stop();
  standIn?.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

const standInArgs = (args: string[]): string[] => [
  "profile",
  "-u",
  `http://127.0.0.1:${standIn.port}`,
  "-m",
  "m",
  "--tokenizer",
  "builtin",
  "--ui",
  "none",
  "--workers",
  "1",
  "--no-preflight",
  "--isl",
  "8",
  "--osl",
  "4",
  ...args,
];

const jsonlLines = (path: string): { metadata: Record<string, unknown>; metrics: Record<string, { value: unknown }> }[] =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

describe("per-request options", () => {
  test("every turn of a session carries one X-Correlation-ID, different per session, and the JSONL records it", async () => {
    seen = [];
    const io = fakeIo(dir);
    const args = standInArgs(["--conversation-turn-mean", "2", "--num-dataset-entries", "3", "--request-count", "6", "--artifact-dir", "corr"]);
    expect(await runCli(args, COMMANDS, io)).toBe(0);
    const ids = seen.map((s) => s.headers["x-correlation-id"]);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(3);
    expect(ids.filter((id) => ids.indexOf(id) === ids.lastIndexOf(id))).toEqual([]); // each id twice: both turns
    const records = jsonlLines(join(dir, "corr", "profile_export.jsonl"));
    expect(records).toHaveLength(6);
    expect(new Set(records.map((r) => r.metadata.x_correlation_id))).toEqual(new Set(ids));
    // AIPerf's default sends max_completion_tokens for chat.
    expect(seen.map((s) => s.body.max_completion_tokens)).toEqual(new Array(6).fill(4));
  }, 30_000);

  test("a --header goes out once with every request; one naming x-request-id or the session header is replaced by the request's own", async () => {
    seen = [];
    const io = fakeIo(dir);
    const args = standInArgs([
      "-H",
      "X-Custom:v",
      "-H",
      "x-request-id:configured",
      "-H",
      "x-correlation-id:configured",
      "--request-count",
      "4",
      "--artifact-dir",
      "hdr",
    ]);
    expect(await runCli(args, COMMANDS, io)).toBe(0);
    expect(seen).toHaveLength(4);
    // Headers the server sees twice arrive joined with ", ".
    expect(seen.map((s) => s.headers["x-custom"])).toEqual(new Array(4).fill("v"));
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const name of ["x-request-id", "x-correlation-id"]) {
      const values = seen.map((s) => s.headers[name] ?? "");
      expect(values.filter((v) => uuid.test(v))).toHaveLength(4);
      expect(new Set(values).size).toBe(4);
    }
    expect(seen.map((s) => [s.headers["content-type"], s.headers["user-agent"]?.startsWith("llmbench/")])).toEqual(
      new Array(4).fill(["application/json", true]),
    );
  }, 30_000);

  test("--conversation-num sends that many sessions, each through all its turns, then stops (AIPerf)", async () => {
    seen = [];
    const io = fakeIo(dir);
    expect(await runCli(standInArgs(["--conversation-num", "3", "--conversation-turn-mean", "2", "--artifact-dir", "conv"]), COMMANDS, io)).toBe(0);
    const ids = seen.map((s) => s.headers["x-correlation-id"]);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(3);
  }, 30_000);

  test("--session-header renames the header; --use-legacy-max-tokens sends max_tokens", async () => {
    seen = [];
    const io = fakeIo(dir);
    const args = standInArgs(["--request-count", "2", "--session-header", "X-Session-ID", "--use-legacy-max-tokens", "--artifact-dir", "legacy"]);
    expect(await runCli(args, COMMANDS, io)).toBe(0);
    expect(seen).toHaveLength(2);
    expect(seen.map((s) => [typeof s.headers["x-session-id"], s.headers["x-correlation-id"]])).toEqual([
      ["string", undefined],
      ["string", undefined],
    ]);
    expect(seen.map((s) => [s.body.max_tokens, s.body.max_completion_tokens])).toEqual([
      [4, undefined],
      [4, undefined],
    ]);
  }, 30_000);

  test("--use-server-token-count: ISL is the server's usage count, not the tokenizer's", async () => {
    for (const [flag, name] of [
      [[], "client"],
      [["--use-server-token-count"], "server"],
    ] as const) {
      const io = fakeIo(dir);
      expect(await runCli(standInArgs(["--request-count", "2", ...flag, "--artifact-dir", name]), COMMANDS, io)).toBe(0);
    }
    const isl = (name: string) => jsonlLines(join(dir, name, "profile_export.jsonl")).map((r) => r.metrics.input_sequence_length?.value);
    expect(isl("client")).toEqual([8, 8]);
    expect(isl("server")).toEqual([USAGE_PROMPT_TOKENS, USAGE_PROMPT_TOKENS]);
    const summary = JSON.parse(readFileSync(join(dir, "server", "profile_export_aiperf.json"), "utf8")) as Record<string, { avg?: number }>;
    expect(summary.input_sequence_length?.avg).toBe(USAGE_PROMPT_TOKENS);
  }, 30_000);
});

describe("export files", () => {
  test("--export-level summary writes the summary files and no per-request JSONL", async () => {
    const io = fakeIo(dir);
    expect(await runCli(mockProfileArgs(mock.url, ["--request-count", "3", "--export-level", "summary", "--artifact-dir", "sum"]), COMMANDS, io)).toBe(0);
    const files = readdirSync(join(dir, "sum"));
    expect(files).toContain("profile_export_aiperf.json");
    expect(files).toContain("profile_export_aiperf.csv");
    expect(files.filter((f) => f.endsWith(".jsonl"))).toEqual([]);
    expect(io.stdout.join("")).not.toContain("Records:");
    // The summary in AIPerf's schema 1.5: count and sum on record metrics, run_info.
    const summary = JSON.parse(readFileSync(join(dir, "sum", "profile_export_aiperf.json"), "utf8"));
    expect(summary.schema_version).toBe("1.5");
    expect(summary.request_latency.count).toBe(3);
    expect(summary.request_latency.sum).toBeCloseTo(summary.request_latency.avg * 3, 6);
    expect(Object.keys(summary.request_count)).toEqual(["unit", "avg"]);
    expect(summary.run_info).toEqual({
      benchmark_id: summary.benchmark_id,
      random_seed: 0,
      trial: 0,
      run_label: "run_0001",
      variation_label: "base",
      variation_index: 0,
      variation_values: {},
    });
  }, 30_000);

  test("--profile-export-prefix names every export file; a known suffix on the value is dropped", async () => {
    const io = fakeIo(dir);
    const args = mockProfileArgs(mock.url, [
      "--request-count",
      "3",
      "--slice-duration",
      "1",
      "--profile-export-file",
      "my_run_raw.jsonl",
      "--artifact-dir",
      "pre",
    ]);
    expect(await runCli(args, COMMANDS, io)).toBe(0);
    const exports = readdirSync(join(dir, "pre"))
      .filter((f) => f.startsWith("my_run") || f.startsWith("profile_export"))
      .sort();
    expect(exports).toEqual(["my_run.csv", "my_run.json", "my_run.jsonl", "my_run_timeslices.csv", "my_run_timeslices.json"]);
    expect(jsonlLines(join(dir, "pre", "my_run.jsonl"))).toHaveLength(3);
    expect(io.stdout.join("")).toContain(join(dir, "pre", "my_run.json"));
    expect(existsSync(join(dir, "pre", "profile_export.jsonl"))).toBe(false);
  }, 30_000);

  test("--export-level raw is refused with one line (llmbench keeps no request/response bodies)", async () => {
    const io = fakeIo(dir);
    expect(await runCli(mockProfileArgs(mock.url, ["--request-count", "3", "--export-level", "raw", "--artifact-dir", "raw"]), COMMANDS, io)).toBe(2);
    const lines = io.stderr
      .join("")
      .split("\n")
      .filter((l) => l.startsWith("llmbench profile:"));
    expect(lines).toEqual([
      "llmbench profile: --export-level raw: AIPerf's raw export (every request and response body) is not supported by llmbench; use records (per-request metrics) or summary",
    ]);
  }, 30_000);
});
