// What a run does with its artifact directory and its exit code, through the real CLI against the mock:
// a finished run is never replaced by accident (--overwrite replaces it whole), a full disk stops the
// run with one line and leaves readable files, and a run that measured nothing does not exit 0.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { COMMANDS } from "../../src/cli/commands.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { mockMetric } from "../helpers/mock-metrics.ts";
import { mockProfileArgs } from "../helpers/mock-profile-args.ts";

let dir = "";
let mock: MockServerHandle;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-artifacts-"));
  mock = await startMockServer({ port: 0, ttftMs: 1, itlMs: 1 });
});
afterAll(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const profile = (url: string, args: string[]): string[] => mockProfileArgs(url, ["--isl", "8", ...(args.includes("--osl") ? [] : ["--osl", "4"]), ...args]);

describe("--artifact-dir", () => {
  test("a second run into a finished run's directory is refused with one line; the first run's files are untouched", async () => {
    const first = fakeIo(dir);
    expect(await runCli(profile(mock.url, ["--request-count", "4", "--slice-duration", "1", "--artifact-dir", "same"]), COMMANDS, first)).toBe(0);
    const db = readFileSync(join(dir, "same", "results.duckdb"));
    const io = fakeIo(dir);
    expect(await runCli(profile(mock.url, ["--request-count", "4", "--artifact-dir", "same"]), COMMANDS, io)).toBe(2);
    const problems = io.stderr
      .join("")
      .split("\n")
      .filter((l) => l.startsWith("llmbench profile:"));
    expect(problems.length).toBe(1);
    expect(problems[0]).toContain("--artifact-dir");
    expect(problems[0]).toContain("--overwrite");
    expect(readFileSync(join(dir, "same", "results.duckdb")).equals(db)).toBe(true);
  }, 30_000);

  test("--overwrite replaces the directory whole: no stale timeslice files beside the new run", async () => {
    expect(existsSync(join(dir, "same", "profile_export_aiperf_timeslices.csv"))).toBe(true);
    const io = fakeIo(dir);
    expect(await runCli(profile(mock.url, ["--request-count", "3", "--artifact-dir", "same", "--overwrite"]), COMMANDS, io)).toBe(0);
    const files = readdirSync(join(dir, "same"));
    expect(files).toContain("results.duckdb");
    expect(files.filter((f) => f.includes("timeslices"))).toEqual([]);
    const lines = readFileSync(join(dir, "same", "profile_export.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(lines.length).toBe(3);
  }, 30_000);

  test("--overwrite never deletes a directory that holds no run", async () => {
    mkdirSync(join(dir, "mine"));
    writeFileSync(join(dir, "mine", "notes.txt"), "keep me");
    const io = fakeIo(dir);
    expect(await runCli(profile(mock.url, ["--request-count", "2", "--artifact-dir", "mine", "--overwrite"]), COMMANDS, io)).toBe(2);
    expect(io.stderr.join("")).toContain("holds no earlier run");
    expect(readFileSync(join(dir, "mine", "notes.txt"), "utf8")).toBe("keep me");
  }, 30_000);
});

describe("nothing measured", () => {
  test("every request failing exits 1 and says so instead of printing an empty table", async () => {
    const failing = await startMockServer({ port: 0, ttftMs: 1, itlMs: 1, fault500Pct: 100 });
    try {
      const io = fakeIo(dir);
      // Even a threshold that tolerates every failure does not make "nothing measured" a success.
      expect(await runCli(profile(failing.url, ["--request-count", "5", "--failed-request-threshold", "1", "--artifact-dir", "allfail"]), COMMANDS, io)).toBe(
        1,
      );
      const out = io.stdout.join("");
      expect(out).toContain("All 5 profiling requests failed");
      expect(out).not.toContain("LLM Metrics");
    } finally {
      await failing.stop();
    }
  }, 30_000);

  test("requests cancelled on purpose (--request-cancellation-rate) are not failures", async () => {
    const slow = await startMockServer({ port: 0, ttftMs: 1, itlMs: 20 });
    try {
      const io = fakeIo(dir);
      // 50% cancelled 0.05 s after sending; each request takes ~0.4 s, so those are cut short.
      const code = await runCli(
        profile(slow.url, [
          "--osl",
          "20",
          "--request-count",
          "8",
          "--concurrency",
          "4",
          "--request-cancellation-rate",
          "50",
          "--request-cancellation-delay",
          "0.05",
          "--artifact-dir",
          "cancel",
        ]),
        COMMANDS,
        io,
      );
      const rows = readFileSync(join(dir, "cancel", "profile_export.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { metadata: { was_cancelled: boolean } });
      expect(rows.length).toBe(8);
      const cancelled = rows.filter((r) => r.metadata.was_cancelled).length;
      expect(cancelled).toBeGreaterThan(0);
      expect(cancelled).toBeLessThan(8);
      expect(code).toBe(0);
    } finally {
      await slow.stop();
    }
  }, 30_000);
});

describe("results.duckdb block size", () => {
  /** The file's block size, its request count and whether the run's end was stored. */
  async function fileFacts(path: string): Promise<{ block: number; requests: number; ended: boolean }> {
    const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
    try {
      const conn = await instance.connect();
      const [row] = (
        await conn.runAndReadAll(
          "SELECT (SELECT block_size FROM pragma_database_size()), (SELECT count(*) FROM requests), (SELECT bool_and(ended_ns IS NOT NULL) FROM runs)",
        )
      ).getRows();
      conn.closeSync();
      return { block: Number(row?.[0]), requests: Number(row?.[1]), ended: row?.[2] === true };
    } finally {
      instance.closeSync();
    }
  }

  test("a run bounded at a few requests writes 16 KiB blocks (a smaller checkpoint at its close); every request and its end are stored", async () => {
    const io = fakeIo(dir);
    expect(await runCli(profile(mock.url, ["--request-count", "6", "--warmup-request-count", "2", "--artifact-dir", "small-blocks"]), COMMANDS, io)).toBe(0);
    expect(await fileFacts(join(dir, "small-blocks", "results.duckdb"))).toEqual({ block: 16_384, requests: 8, ended: true });
  }, 30_000);

  test("a run bounded by time keeps DuckDB's 256 KiB blocks", async () => {
    const io = fakeIo(dir);
    expect(await runCli(profile(mock.url, ["--benchmark-duration", "0.3", "--artifact-dir", "time-blocks"]), COMMANDS, io)).toBe(0);
    const facts = await fileFacts(join(dir, "time-blocks", "results.duckdb"));
    expect(facts.block).toBe(262_144);
    expect(facts.requests).toBeGreaterThan(0);
    expect(facts.ended).toBe(true);
  }, 30_000);
});

/** A small tmpfs (root only); null where mounting is not allowed. */
function smallDisk(path: string, size: string): boolean {
  mkdirSync(path, { recursive: true });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", path], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("disk full", () => {
  const mnt = join(tmpdir(), `llmbench-full-${process.pid}`);
  const mounted = smallDisk(mnt, "3m");
  afterAll(() => {
    if (mounted) execFileSync("umount", ["-l", mnt]);
    rmSync(mnt, { recursive: true, force: true });
  });

  test.skipIf(!mounted)(
    "a write that fails stops the run: one line naming the file, exit 1, what was written stays readable",
    async () => {
      const io = fakeIo(mnt);
      const before = await mockMetric(mock.url, "vllm:prompt_tokens_total");
      // 300-token answers make ~300 chunk rows and a long JSONL line per request: 3 MB fills in a few thousand.
      const code = await runCli(profile(mock.url, ["--osl", "300", "--concurrency", "16", "--request-count", "200000", "--artifact-dir", "run"]), COMMANDS, io);
      expect(code).toBe(1);
      const err = io.stderr.join("");
      const lines = err.split("\n").filter((l) => l.includes("cannot write"));
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines[0]).toMatch(/cannot write \S+: .*(ENOSPC|space|full)/i);
      // No stack and no source code: every stderr line is a short message.
      for (const l of err.split("\n")) expect(l.length).toBeLessThan(400);
      // The run stopped soon after the first failure (about a hundred requests fill the disk) instead of
      // loading the server for the full 200,000; prompt tokens as the mock counts them, ~8 per request.
      const sent = ((await mockMetric(mock.url, "vllm:prompt_tokens_total")) - before) / 8;
      expect(sent).toBeLessThan(2000);
      // Every JSONL line that was kept is whole.
      const jsonl = readFileSync(join(mnt, "run", "profile_export.jsonl"), "utf8");
      const kept = jsonl.split("\n").filter((l) => l !== "");
      expect(kept.length).toBeGreaterThan(0);
      for (const l of kept) expect(() => JSON.parse(l)).not.toThrow();
      expect(jsonl.endsWith("\n")).toBe(true);
      // The database holds what was flushed before the failure and opens for reading.
      const instance = await DuckDBInstance.create(join(mnt, "run", "results.duckdb"), { access_mode: "READ_ONLY" });
      const conn = await instance.connect();
      const stored = Number((await conn.runAndReadAll("select count(*) from requests")).getRows()[0]![0]);
      conn.closeSync();
      instance.closeSync();
      expect(stored).toBeGreaterThan(0);
    },
    120_000,
  );
});
