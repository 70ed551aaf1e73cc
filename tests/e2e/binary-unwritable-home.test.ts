// The compiled binary extracts DuckDB's library when it loads, before any command runs. With HOME
// unwritable and no XDG_CACHE_HOME it falls back to a private dir in the temp dir, says so in one
// line, and every command works. HOME lies under a regular file, so mkdir fails (ENOTDIR) even as root.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { ensureBinary } from "../helpers/binary.ts";

let dir = "";
let exe = "";
let env: Record<string, string> = {};
let tmp = "";

function run(args: string[], timeoutMs = 30_000) {
  const p = Bun.spawnSync([exe, ...args], { cwd: join(dir, "work"), env, stdout: "pipe", stderr: "pipe", timeout: timeoutMs });
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() };
}

beforeAll(async () => {
  const built = await ensureBinary();
  dir = mkdtempSync(join(tmpdir(), "llmbench-e2e-home-"));
  mkdirSync(join(dir, "work"));
  exe = join(dir, "work", "llmbench");
  copyFileSync(built, exe);
  Bun.spawnSync(["chmod", "+x", exe]);
  writeFileSync(join(dir, "file"), "a regular file\n");
  tmp = join(dir, "tmp");
  mkdirSync(tmp);
  // No XDG_CACHE_HOME; TMPDIR keeps the fallback inside this test's directory.
  env = { PATH: "/usr/bin:/bin", HOME: join(dir, "file", "home"), TMPDIR: tmp, NO_COLOR: "1" };
  const inst = await DuckDBInstance.create(join(dir, "work", "results.duckdb"));
  const conn = await inst.connect();
  await conn.run("CREATE TABLE requests AS SELECT range AS request_index FROM range(3)");
  conn.closeSync();
  inst.closeSync();
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("compiled binary with an unwritable HOME", () => {
  test("--version and --help need no cache at all (DuckDB is loaded only by commands that use it)", () => {
    const v = run(["--version"]);
    expect(v.code).toBe(0);
    expect(v.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(v.err).toBe("");
    const h = run(["--help"]);
    expect(h.code).toBe(0);
    expect(h.err).toBe("");
  });

  test("query reads a run, with one note naming the fallback cache dir", () => {
    const q = run(["query", "results.duckdb", "select count(*) as n from requests", "--format", "csv"]);
    expect(q.code).toBe(0);
    expect(q.out).toBe("n\n3\n");
    const uid = process.getuid!();
    expect(q.err).toBe(
      `llmbench: note: cannot write the cache dir ${join(dir, "file", "home", ".cache", "llmbench")} (ENOTDIR); using ${join(tmp, `llmbench-${uid}`)} (set XDG_CACHE_HOME to choose)\n`,
    );
    expect(statSync(join(tmp, `llmbench-${uid}`)).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(tmp, `llmbench-${uid}`)).length).toBe(1);
  });
});
