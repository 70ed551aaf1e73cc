// A run still writing its results.duckdb holds DuckDB's lock: query and export say so in one line
// (exit 1) instead of "SQL error: Could not set lock".
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runCli } from "../../src/cli/run-cli.ts";
import { COMMANDS } from "../../src/cli/commands.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { readFirstLine } from "../helpers/read-lines.ts";

let dir = "";
let db = "";
let holder: ReturnType<typeof Bun.spawn<"pipe", "pipe", "pipe">> | null = null;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-busy-"));
  mkdirSync(join(dir, "run"));
  db = join(dir, "run", "results.duckdb");
  holder = Bun.spawn([process.execPath, resolve(import.meta.dir, "../helpers/hold-db-open.ts"), db], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
  expect(await readFirstLine(holder.stdout, 30_000)).toBe("ready");
}, 40_000);

afterAll(async () => {
  holder?.stdin.end();
  await holder?.exited;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[]) {
  const io = fakeIo(dir);
  const code = await runCli(args, COMMANDS, io);
  return { code, out: io.stdout.join(""), err: io.stderr.join("") };
}

describe("a run still writing", () => {
  test("query names the file and says the run is still writing it", async () => {
    const r = await cli(["query", "run", "select count(*) from requests"]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toBe(`llmbench query: error: ${db} is still being written by a running benchmark (DuckDB locks it); query it when that run has finished\n`);
  });

  test("export too", async () => {
    const r = await cli(["export", "run", "-o", "x.csv"]);
    expect(r.code).toBe(1);
    expect(r.err.split("\n").length).toBe(2);
    expect(r.err).toContain(`${db} is still being written by a running benchmark`);
  });

  test("once the writer is gone, the same query works", async () => {
    holder!.stdin.end();
    expect(await holder!.exited).toBe(0);
    const r = await cli(["query", "run", "select count(*) as n from requests", "--format", "csv"]);
    expect(r.out).toBe("n\n1\n");
  });
});
