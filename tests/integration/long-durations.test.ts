// Durations past setTimeout's int32 limit (2^31-1 ms, ~24.8 days) through the real CLI: they must wait,
// not fire at once; and a trace with absolute (epoch-ms) timestamps is refused before anything is sent.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { COMMANDS } from "../../src/cli/commands.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { mockMetric, waitForMetric } from "../helpers/mock-metrics.ts";
import { mockProfileArgs } from "../helpers/mock-profile-args.ts";

const GEN_TOKENS = "vllm:generation_tokens_total";
let dir = "";
let mock: MockServerHandle;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-long-"));
  mock = await startMockServer({ port: 0, ttftMs: 5, itlMs: 20 });
});
afterAll(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const profile = (args: string[]): string[] => mockProfileArgs(mock.url, args);
type JsonlRecord = { metadata: { was_cancelled: boolean }; error?: { code: number } };
const records = (artifactDir: string): JsonlRecord[] =>
  readFileSync(join(dir, artifactDir, "profile_export.jsonl"), "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as JsonlRecord);
/** "running" if `p` has not settled within `ms`. */
const stillRunningAfter = (p: Promise<unknown>, ms: number): Promise<string> => Promise.race([p.then(() => "ended"), Bun.sleep(ms).then(() => "running")]);

describe("durations past 2^31-1 ms", () => {
  test("--benchmark-duration 3000000 keeps sending until interrupted; in-flight requests are recorded as cancelled", async () => {
    const io = fakeIo(dir);
    const tokensBefore = await mockMetric(mock.url, GEN_TOKENS);
    // 10 tokens x 20 ms: ~0.2 s per request, two lanes back to back.
    const run = runCli(
      profile(["--concurrency", "2", "--isl", "8", "--osl", "10", "--benchmark-duration", "3000000", "--artifact-dir", "duration"]),
      COMMANDS,
      io,
    );
    // Six requests done shows sending went on (a duration that fired at once would stop at the first two).
    await waitForMetric(mock.url, GEN_TOKENS, tokensBefore + 60, 15_000);
    expect(await stillRunningAfter(run, 1_500)).toBe("running");
    io.raise("SIGINT");
    expect(await run).toBe(1); // interrupted
    const rs = records("duration");
    expect(rs.length).toBeGreaterThanOrEqual(6);
    const cancelled = rs.filter((r) => r.metadata.was_cancelled);
    expect(cancelled.length).toBeGreaterThanOrEqual(1);
    expect(cancelled.length).toBeLessThanOrEqual(2);
    for (const r of cancelled) expect(r.error?.code).toBe(499);
    for (const r of rs.filter((x) => !x.metadata.was_cancelled)) expect(r.error ?? null).toBeNull();
  }, 30_000);

  test("--benchmark-grace-period 3000000: requests still in flight when sending stops run to their end", async () => {
    const io = fakeIo(dir);
    // Requests take ~0.4 s; sending stops after 0.2 s; the grace period must not cancel them at once.
    const code = await runCli(
      profile([
        "--concurrency",
        "2",
        "--isl",
        "8",
        "--osl",
        "20",
        "--benchmark-duration",
        "0.2",
        "--benchmark-grace-period",
        "3000000",
        "--artifact-dir",
        "grace",
      ]),
      COMMANDS,
      io,
    );
    expect(code).toBe(0);
    const rs = records("grace");
    expect(rs.length).toBe(2);
    for (const r of rs) expect(r.error ?? null).toBeNull();
  }, 30_000);

  test("--request-timeout-seconds and --request-cancellation-delay 3000000 do not cut requests short", async () => {
    const io = fakeIo(dir);
    const code = await runCli(
      profile([
        "--concurrency",
        "2",
        "--request-count",
        "4",
        "--isl",
        "8",
        "--osl",
        "5",
        "--request-timeout-seconds",
        "3000000",
        "--request-cancellation-rate",
        "100",
        "--request-cancellation-delay",
        "3000000",
        "--artifact-dir",
        "timeouts",
      ]),
      COMMANDS,
      io,
    );
    expect(code).toBe(0);
    const rs = records("timeouts");
    expect(rs.length).toBe(4);
    for (const r of rs) {
      expect(r.error ?? null).toBeNull();
      expect(r.metadata.was_cancelled).toBe(false);
    }
  }, 30_000);

  test("--warmup-duration 3000000 keeps warming up until interrupted", async () => {
    const io = fakeIo(dir);
    const tokensBefore = await mockMetric(mock.url, GEN_TOKENS);
    // ~0.1 s per request, one lane: warmup plus the 2 profiling requests would be 3 requests if the
    // warmup ended at once.
    const run = runCli(
      profile([
        "--concurrency",
        "1",
        "--request-count",
        "2",
        "--isl",
        "8",
        "--osl",
        "5",
        "--warmup-duration",
        "3000000",
        "--warmup-request-count",
        "0",
        "--artifact-dir",
        "warmup",
      ]),
      COMMANDS,
      io,
    );
    await waitForMetric(mock.url, GEN_TOKENS, tokensBefore + 30, 15_000);
    expect(await stillRunningAfter(run, 1_500)).toBe("running");
    io.raise("SIGINT");
    expect(await run).toBe(1);
  }, 30_000);
});

describe("a trace with epoch-ms timestamps", () => {
  const epochMs = 1_700_000_000_000;
  const write = (): string => {
    const p = join(dir, "epoch.jsonl");
    writeFileSync(p, `${[0, 50, 100].map((d) => JSON.stringify({ timestamp: epochMs + d, input_length: 10, output_length: 2, hash_ids: [1] })).join("\n")}\n`);
    return p;
  };

  test("without --fixed-schedule-auto-offset: one line naming the file, the first timestamp and the wait; exit 2; nothing sent", async () => {
    const file = write();
    const sentBefore = await mockMetric(mock.url, "vllm:prompt_tokens_total");
    const io = fakeIo(dir);
    const code = await runCli(profile(["--input-file", file, "--custom-dataset-type", "mooncake_trace", "--artifact-dir", "epoch"]), COMMANDS, io);
    expect(code).toBe(2);
    // One problem line (the CLI adds its usual pointer to --help after it).
    const lines = io.stderr
      .join("")
      .split("\n")
      .filter((l) => l.startsWith("llmbench profile:"));
    expect(lines.length).toBe(1);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toContain(String(epochMs));
    expect(lines[0]).toContain("19676 days");
    expect(lines[0]).toContain("--fixed-schedule-auto-offset");
    expect(await mockMetric(mock.url, "vllm:prompt_tokens_total")).toBe(sentBefore);
  }, 30_000);

  test("with --fixed-schedule-auto-offset it replays every entry", async () => {
    const file = write();
    const io = fakeIo(dir);
    const code = await runCli(
      profile(["--input-file", file, "--custom-dataset-type", "mooncake_trace", "--fixed-schedule-auto-offset", "--artifact-dir", "epoch-auto"]),
      COMMANDS,
      io,
    );
    expect(code).toBe(0);
    const rs = records("epoch-auto");
    expect(rs.length).toBe(3);
    for (const r of rs) expect(r.error ?? null).toBeNull();
  }, 30_000);
});
