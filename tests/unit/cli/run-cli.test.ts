import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../../src/cli/run-cli.ts";
import { COMMANDS } from "../../../src/cli/commands.ts";
import { fakeIo } from "../../helpers/fake-io.ts";
import { VERSION } from "../../../src/version.ts";

async function run(argv: string[]) {
  const io = fakeIo("/tmp");
  const code = await runCli(argv, COMMANDS, io);
  return { code, out: io.stdout.join(""), err: io.stderr.join("") };
}

describe("llmbench CLI dispatch", () => {
  test("--version prints the package version", async () => {
    const r = await run(["--version"]);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(VERSION);
  });
  test("--help lists every command and examples", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["profile", "mock", "query", "demo"]) expect(r.out).toContain(c);
    expect(r.out).toContain("Examples:");
  });
  test("no arguments shows help and exits 2", async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.out).toContain("Usage: llmbench <command>");
  });
  test("command help shows flags, defaults and examples", async () => {
    const r = await run(["profile", "--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("--concurrency");
    expect(r.out).toContain("-u, --url");
    expect(r.out).toContain("Examples:");
    expect(r.out).toContain("llmbench profile -u");
  });
  test("unknown command: one line, a suggestion, exit 2", async () => {
    const r = await run(["profil"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe('llmbench: unknown command "profil" (did you mean "profile"?); commands: profile, mock, query, export, plot, merge, k8s, demo\n');
  });
  test("every usage problem at once, one line each, exit 2, no stack trace", async () => {
    const r = await run(["profile", "--concurrency", "0", "--bogus", "--url", "ftp://x", "--isl", "abc"]);
    expect(r.code).toBe(2);
    const lines = r.err.trim().split("\n");
    expect(lines).toEqual([
      "llmbench profile: unknown flag --bogus",
      expect.stringContaining("llmbench profile: --") as unknown as string,
      expect.stringContaining("llmbench profile: --") as unknown as string,
      expect.stringContaining("llmbench profile: --") as unknown as string,
      'Run "llmbench profile --help" for usage.',
    ]);
    // --model may be left out: the pre-flight takes the server's only model.
    expect(r.err).not.toContain("--model");
    expect(r.err).toContain("--concurrency must be at least 1 (was 0)");
    expect(r.err).toContain('--url must be an http or https URL (was "ftp://x")');
    expect(r.err).toContain('--isl must be a well-formed integer string (was "abc")');
    expect(r.err).not.toContain("    at ");
    expect(r.out).toBe("");
  });
  test("mock rejects fault percentages that add up past 100", async () => {
    const r = await run(["mock", "--fault-500-pct", "60", "--fault-429-pct", "50"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--fault-*-pct add up to 110; at most 100 is allowed");
  });
  test("query: missing run dir is a usage error naming the path", async () => {
    const r = await run(["query", "/nonexistent/run", "select 1"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("/nonexistent/run: no such run directory or results.duckdb");
  });
  test("query: missing SQL argument", async () => {
    // Its own empty folder: walking all of /tmp while other tests write there is not what is tested.
    const dir = mkdtempSync(join(tmpdir(), "llmbench-query-nosql-"));
    const r = await run(["query", dir]);
    rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.err).toContain("<SQL> is required");
  });
});

describe("profile set-up errors are usage errors", () => {
  test("an unresolvable --tokenizer fails at once with exit 2, before any artifact is written", async () => {
    const io = fakeIo("/tmp");
    const code = await runCli(["profile", "-m", "m", "--tokenizer", "/nonexistent/tok", "--artifact-dir", "/tmp/llmbench-should-not-exist"], COMMANDS, io);
    expect(code).toBe(2);
    const err = io.stderr.join("");
    expect(err).toContain("--tokenizer /nonexistent/tok");
    expect(err.trim().split("\n").length).toBe(2); // the problem, then the --help hint
    expect(require("node:fs").existsSync("/tmp/llmbench-should-not-exist")).toBe(false);
  });
  test("bad --goodput and --extra-inputs are reported together", async () => {
    const io = fakeIo("/tmp");
    const code = await runCli(["profile", "-m", "m", "--streaming", "--goodput", "time_to_frist_token:10", "--extra-inputs", "novalue"], COMMANDS, io);
    expect(code).toBe(2);
    const err = io.stderr.join("");
    expect(err).toContain("time_to_frist_token");
    expect(err).toContain("--extra-inputs");
  });
});

describe("profile readiness check", () => {
  test("a URL nobody listens on is one clear line, exit 2, before any request", async () => {
    const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = l.port;
    l.stop(true);
    const io = fakeIo("/tmp");
    const t0 = performance.now();
    const code = await runCli(
      ["profile", "-m", "m", "--tokenizer", "builtin", "-u", `127.0.0.1:${port}`, "--artifact-dir", "/tmp/llmbench-unreachable"],
      COMMANDS,
      io,
    );
    expect(code).toBe(2);
    expect(io.stderr.join("")).toContain(`--url http://127.0.0.1:${port}: cannot connect to 127.0.0.1:${port}`);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(require("node:fs").existsSync("/tmp/llmbench-unreachable")).toBe(false);
  });
});

test("the tokenizer defaults to the model name; one that resolves to nothing stops at once with the fix", async () => {
  const cache = require("node:fs").mkdtempSync("/tmp/llmbench-empty-hf-");
  const io = fakeIo("/tmp", { HF_HUB_OFFLINE: "1", HF_HUB_CACHE: cache });
  const code = await runCli(["profile", "-m", "some-org/some-model", "--artifact-dir", "/tmp/llmbench-no-tokenizer"], COMMANDS, io);
  expect(code).toBe(2);
  const err = io.stderr.join("");
  expect(err).toContain("--tokenizer some-org/some-model: not in the Hugging Face cache");
  expect(err).toContain("--tokenizer builtin");
  expect(
    err
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("llmbench profile:")).length,
  ).toBe(1);
  expect(require("node:fs").existsSync("/tmp/llmbench-no-tokenizer")).toBe(false);
});

test("concurrency past the open-file limit is refused up front with the fix", async () => {
  const io = fakeIo("/tmp");
  const code = await runCli(["profile", "-m", "m", "--concurrency", "100000"], COMMANDS, io);
  const limit = require("../../../src/runtime/fd-limit.ts").readFdLimit();
  if (limit === null) return; // no /proc here: nothing to check
  expect(code).toBe(2);
  expect(io.stderr.join("")).toContain("--concurrency 100000 needs about 100064 open files");
});
