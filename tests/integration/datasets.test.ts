// Input files end to end: multi-turn sessions with history and delays, Mooncake traces on a fixed
// schedule (offsets, speedup, shared hash-id prefixes as the server receives them), random pools, and
// a malformed line stopping the run before any request. Assertions are on records and received bodies.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { runTestProfile } from "../helpers/profile-config.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { COMMANDS } from "../../src/cli/commands.ts";
import { loadTokenizer } from "../../src/dataset/tokenizer.ts";
import type { RequestRecord } from "../../src/record/request-record.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { testProfileConfig } from "../helpers/profile-config.ts";

let dir = "";
let mock: MockServerHandle;
/** A server that keeps every request body and answers a one-word non-streaming chat completion. */
let capture: { url: string; bodies: { messages: { role: string; content: string }[] }[]; stop: () => void };
const tok = await loadTokenizer("builtin");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-datasets-"));
  mock = await startMockServer({ port: 0, ttftMs: 5, itlMs: 1, recordPath: join(dir, "mock.jsonl") });
  const bodies: { messages: { role: string; content: string }[] }[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      // A server without metrics: the run's scrape of /metrics gets a 404.
      if (new URL(req.url).pathname === "/metrics") return new Response("not found", { status: 404 });
      bodies.push((await req.json()) as (typeof bodies)[number]);
      return Response.json({
        id: "x",
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
      });
    },
  });
  capture = { url: `http://127.0.0.1:${server.port}`, bodies, stop: () => void server.stop(true) };
});
afterAll(async () => {
  await mock?.stop();
  capture?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, lines: unknown[]): string => {
  const p = join(dir, name);
  writeFileSync(p, `${lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n")}\n`);
  return p;
};
const byTurn = (rs: RequestRecord[]) => [...rs].sort((a, b) => a.conversation_id.localeCompare(b.conversation_id) || a.turn_index - b.turn_index);

describe("input files", () => {
  test("multi_turn: each turn waits its delay after the previous one ended and carries the history", async () => {
    const file = write("chat.jsonl", [
      { session_id: "alpha", turns: [{ text: "Hello there friend" }, { text: "Tell me more please", delay: 40 }, { text: "And then", delay: 20 }] },
      { session_id: "beta", turns: [{ text: "One two three" }, { text: "Four five", delay: 30 }] },
    ]);
    // One lane: with two, the lane that finishes "beta" first would start "alpha" again (the file is
    // replayed in a cycle) and take the last of the 5 requests.
    const cfg = testProfileConfig(mock.url, {
      inputFile: file,
      customDatasetType: "multi_turn",
      concurrency: 1,
      requestCount: 5,
      osl: 5,
      artifactDir: "multi",
    });
    const out = await runTestProfile(cfg, fakeIo(dir), { slos: [] });
    const rs = byTurn(out.records);
    expect(rs.map((r) => `${r.conversation_id}/${r.turn_index}`)).toEqual(["alpha/0", "alpha/1", "alpha/2", "beta/0", "beta/1"]);
    expect(rs.every((r) => r.error === null)).toBe(true);
    const delays = { "alpha/1": 40, "alpha/2": 20, "beta/1": 30 } as Record<string, number>;
    for (let i = 1; i < rs.length; i++) {
      const r = rs[i]!;
      const prev = rs[i - 1]!;
      if (r.turn_index === 0) continue;
      // Due exactly `delay` after the previous turn ended (float64 epoch-ns resolution: 256 ns).
      expect(Math.abs(r.scheduled_ns - prev.end_ns - delays[`${r.conversation_id}/${r.turn_index}`]! * 1e6)).toBeLessThanOrEqual(512);
      expect(r.start_ns).toBeGreaterThanOrEqual(r.scheduled_ns);
      // The server saw the history: every earlier prompt and reply, plus this prompt (mock counts words).
      expect(r.usage_prompt_tokens!).toBe(
        prev.usage_prompt_tokens! + prev.usage_completion_tokens! + (r.turn_index === 1 ? (r.conversation_id === "alpha" ? 4 : 2) : 2),
      );
    }
    // ISL is the turn's own prompt under the tokenizer, as AIPerf counts it.
    expect(rs[0]!.input_tokens).toBe(tok.count("Hello there friend"));
    const lines = readFileSync(join(out.dir, "profile_export.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { metadata: { conversation_id?: string } });
    expect(new Set(lines.map((l) => l.metadata.conversation_id))).toEqual(new Set(["alpha", "beta"]));
  }, 30_000);

  test("mooncake_trace on a fixed schedule: trace offsets / speedup, exact ISL, shared hash-id prefixes at the server", async () => {
    const file = write("trace.jsonl", [
      { timestamp: 1000, input_length: 1100, output_length: 3, hash_ids: [1, 2, 3] },
      { timestamp: 1100, input_length: 1300, output_length: 3, hash_ids: [1, 2, 9] },
      { timestamp: 1100, input_length: 600, output_length: 3, hash_ids: [1, 7] },
      { timestamp: 1400, text_input: "plain text prompt", output_length: 2 },
      { timestamp: 9000, input_length: 10, output_length: 1 },
    ]);
    capture.bodies.length = 0;
    const cfg = testProfileConfig(capture.url, {
      streaming: false,
      inputFile: file,
      customDatasetType: "mooncake_trace",
      fixedSchedule: true,
      fixedScheduleAutoOffset: true,
      fixedScheduleEndOffset: 2000,
      traceSpeedup: 2,
      concurrency: undefined,
      artifactDir: "trace",
    });
    const out = await runTestProfile(cfg, fakeIo(dir), { slos: [] });
    const rs = [...out.records].sort((a, b) => a.scheduled_ns - b.scheduled_ns || a.request_index - b.request_index);
    expect(rs.length).toBe(4); // the 9000 ms entry lies past --fixed-schedule-end-offset
    const t0 = rs[0]!.scheduled_ns;
    expect(rs.map((r) => Math.round((r.scheduled_ns - t0) / 1e6))).toEqual([0, 50, 50, 200]);
    expect(rs.map((r) => r.input_tokens)).toEqual([1100, 1300, 600, tok.count("plain text prompt")]);
    expect(rs.map((r) => r.requested_output_tokens)).toEqual([3, 3, 3, 2]);
    // What the server got: exact token counts, and identical bytes wherever hash ids agree.
    const prompts = capture.bodies.map((b) => b.messages.at(-1)!.content);
    const p1 = prompts.find((p) => tok.count(p) === 1100)!;
    const p2 = prompts.find((p) => tok.count(p) === 1300)!;
    const p3 = prompts.find((p) => tok.count(p) === 600)!;
    let common = 0;
    while (p1[common] === p2[common]) common++;
    expect(tok.count(p1.slice(0, common))).toBeGreaterThanOrEqual(1024); // blocks 1 and 2 shared
    expect(tok.count(p1.slice(0, common))).toBeLessThan(1024 + 8);
    let common13 = 0;
    while (p1[common13] === p3[common13]) common13++;
    expect(tok.count(p1.slice(0, common13))).toBeGreaterThanOrEqual(512);
    expect(tok.count(p1.slice(0, common13))).toBeLessThan(512 + 8);
    expect(out.schedule?.requestedRatePerSec).toBeCloseTo(3 / 0.2, 6);
  }, 30_000);

  test("random_pool and single_turn files run; sessions come from the file", async () => {
    const pool = write("pool.jsonl", [{ text: "alpha beta" }, { text: "gamma delta" }, { texts: ["epsilon", "zeta"] }]);
    const single = write("single.jsonl", [{ text: "first prompt" }, { text: "second prompt" }]);
    const a = await runTestProfile(
      testProfileConfig(mock.url, { inputFile: pool, customDatasetType: "random_pool", requestCount: 12, osl: 2, artifactDir: "pool" }),
      fakeIo(dir),
      { slos: [] },
    );
    expect(a.records.length).toBe(12);
    expect(a.records.every((r) => r.error === null)).toBe(true);
    const counts = new Set(a.records.map((r) => r.input_tokens));
    expect(counts.size).toBeGreaterThan(1); // drawn at random from the pool, not one entry repeated
    const b = await runTestProfile(
      testProfileConfig(mock.url, { inputFile: single, customDatasetType: "single_turn", requestCount: 4, osl: 2, artifactDir: "single" }),
      fakeIo(dir),
      { slos: [] },
    );
    expect([...b.records].sort((x, y) => x.request_index - y.request_index).map((r) => r.input_tokens)).toEqual([
      tok.count("first prompt"),
      tok.count("second prompt"),
      tok.count("first prompt"),
      tok.count("second prompt"),
    ]);
  }, 30_000);

  test("synthetic: shared system prompt, prefix pool and length mix arrive at the server as asked", async () => {
    capture.bodies.length = 0;
    const cfg = testProfileConfig(capture.url, {
      streaming: false,
      concurrency: 2,
      requestCount: 24,
      numDatasetEntries: 24,
      sharedSystemPromptLength: 40,
      numPrefixPrompts: 2,
      prefixPromptLength: 30,
      seqDist: "20,5:50;60,7:50",
      artifactDir: "synthetic",
    });
    const out = await runTestProfile(cfg, fakeIo(dir), { slos: [] });
    expect(out.records.length).toBe(24);
    expect(out.records.every((r) => r.error === null)).toBe(true);
    expect(capture.bodies.length).toBe(24);
    const systems = new Set(capture.bodies.map((b) => b.messages[0]!.content));
    expect(capture.bodies.every((b) => b.messages[0]!.role === "system" && b.messages.length === 2)).toBe(true);
    expect(systems.size).toBe(1);
    expect(tok.count([...systems][0]!)).toBe(40);
    const users = capture.bodies.map((b) => b.messages[1]!.content);
    // Prefix (30) + " " + prompt of 20 or 60 tokens: the counts are exact and both lengths occur.
    const counts = new Set(users.map((u) => tok.count(u)));
    expect(counts).toEqual(new Set([50, 90]));
    const prefixes = new Set(users.map((u) => u.slice(0, 40)));
    expect(prefixes.size).toBe(2);
    expect(new Set(out.records.map((r) => r.requested_output_tokens))).toEqual(new Set([5, 7]));
    expect(out.records.every((r) => r.input_tokens === (r.requested_output_tokens === 5 ? 50 : 90))).toBe(true);
  }, 30_000);

  test("a mooncake trace without timestamps under --concurrency: every entry once; synthetic multi-turn sessions", async () => {
    const file = write(
      "notimes.jsonl",
      [1, 2, 3, 4, 5].map((i) => ({ input_length: 100 + i, output_length: 2 })),
    );
    const trace = await runTestProfile(
      testProfileConfig(mock.url, { inputFile: file, customDatasetType: "mooncake_trace", concurrency: 2, artifactDir: "once" }),
      fakeIo(dir),
      { slos: [] },
    );
    expect(trace.records.map((r) => r.input_tokens).sort()).toEqual([101, 102, 103, 104, 105]);
    const chat = await runTestProfile(
      testProfileConfig(mock.url, {
        numDatasetEntries: 4,
        conversationTurnMean: 3,
        conversationTurnDelayMean: 15,
        // One lane: 12 requests are then exactly the 4 sessions' 3 turns. With two, a lane a request
        // ahead starts a fifth session before the other's last turn, and which one ends short is timing.
        concurrency: 1,
        requestCount: 12,
        osl: 3,
        artifactDir: "synthetic-mt",
      }),
      fakeIo(dir),
      { slos: [] },
    );
    const rs = byTurn(chat.records);
    expect(rs.length).toBe(12);
    expect(rs.filter((r) => r.turn_index === 2).length).toBe(4);
    for (let i = 1; i < rs.length; i++) {
      const r = rs[i]!;
      if (r.turn_index === 0 || r.conversation_id !== rs[i - 1]!.conversation_id) continue;
      expect(Math.abs(r.scheduled_ns - rs[i - 1]!.end_ns - 15e6)).toBeLessThanOrEqual(512);
      expect(r.usage_prompt_tokens!).toBeGreaterThan(rs[i - 1]!.usage_prompt_tokens!); // history grows
    }
  }, 30_000);

  test("a malformed line stops the run before any request: file:line and what is wrong, exit 2", async () => {
    const file = write("bad.jsonl", [{ timestamp: 0, input_length: 100, hash_ids: [1] }, "{not json", { timestamp: 5, input_length: 10 }]);
    const seenBefore = readFileSync(join(dir, "mock.jsonl"), "utf8").split("\n").filter(Boolean).length;
    const io = fakeIo(dir);
    const code = await runCli(
      [
        "profile",
        "-u",
        mock.url,
        "-m",
        "mock-model",
        "--tokenizer",
        "builtin",
        "--input-file",
        file,
        "--custom-dataset-type",
        "mooncake_trace",
        "--artifact-dir",
        "bad",
      ],
      COMMANDS,
      io,
    );
    expect(code).toBe(2);
    const err = io.stderr.join("");
    expect(err).toContain(`${file}:2:`);
    expect(err.split("\n").filter((l) => l.startsWith("llmbench profile:")).length).toBe(1);
    const seenAfter = readFileSync(join(dir, "mock.jsonl"), "utf8").split("\n").filter(Boolean).length;
    expect(seenAfter).toBe(seenBefore);
  }, 30_000);

  // The shared trace sits beside the repository on the development machines; a clone elsewhere skips this.
  const trace = join(import.meta.dir, "..", "..", "..", "shared", "data", "mooncake", "synthetic_trace.jsonl");
  test.skipIf(!existsSync(trace))(
    "the shared Mooncake trace: its first seconds replay on schedule from the real file",
    async () => {
      const io = fakeIo(dir);
      const code = await runCli(
        [
          "profile",
          "-u",
          mock.url,
          "-m",
          "mock-model",
          "--tokenizer",
          "builtin",
          "--streaming",
          "--input-file",
          trace,
          "--custom-dataset-type",
          "mooncake_trace",
          "--fixed-schedule-end-offset",
          "3000",
          "--trace-speedup",
          "10",
          "--artifact-dir",
          "mooncake",
          "--ui",
          "none",
        ],
        COMMANDS,
        io,
      );
      expect(code).toBe(0);
      const out = io.stdout.join("");
      expect(out).toMatch(/Schedule: \d+ requests/);
      const lines = readFileSync(join(dir, "mooncake", "profile_export.jsonl"), "utf8")
        .trim()
        .split("\n");
      const entries = readFileSync(trace, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { timestamp: number; input_length: number })
        .filter((e) => e.timestamp <= 3000);
      expect(lines.length).toBe(entries.length);
      // Every entry sent once with exactly its input_length (records are written as requests finish).
      const isl = lines.map((l) => (JSON.parse(l) as { metrics: { input_sequence_length: { value: number } } }).metrics.input_sequence_length.value);
      expect(isl.sort((a, b) => a - b)).toEqual(entries.map((e) => e.input_length).sort((a, b) => a - b));
    },
    60_000,
  );
});
