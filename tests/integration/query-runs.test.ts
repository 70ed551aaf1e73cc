// `llmbench query` over one and several runs: one set of views with run_id, --file, read-only.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { runTestProfile } from "../helpers/profile-config.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { COMMANDS } from "../../src/cli/commands.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { testProfileConfig } from "../helpers/profile-config.ts";

let dir = "";
let mock: MockServerHandle;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-query-"));
  mock = await startMockServer({ port: 0, ttftMs: 2, itlMs: 1 });
  await runTestProfile(testProfileConfig(mock.url, { requestCount: 6, osl: 5, artifactDir: "c2", concurrency: 2 }), fakeIo(dir), { slos: [] });
  await runTestProfile(testProfileConfig(mock.url, { requestCount: 10, osl: 5, artifactDir: "c4", concurrency: 4 }), fakeIo(dir), { slos: [] });
}, 60_000);
afterAll(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function query(args: string[]) {
  const io = fakeIo(dir);
  const code = await runCli(["query", ...args], COMMANDS, io);
  return { code, out: io.stdout.join(""), err: io.stderr.join("") };
}

describe("query over runs", () => {
  test("several run dirs are one requests view with a run_id column", async () => {
    const r = await query(["c2", "c4", "select count(distinct run_id) as runs, count(*) as n from requests", "--format", "csv"]);
    expect(r.err).toBe("");
    expect(r.out).toBe("runs,n\n2,16\n");
    const per = await query(["c2", "c4", "select count(*) as n from requests group by run_id order by n", "--format", "csv"]);
    expect(per.out).toBe("n\n6\n10\n");
    const chunks = await query(["c2", "c4", "select count(*) from chunks", "--format", "csv"]);
    expect(chunks.out.trim().split("\n")[1]).toBe(String(16 * 5));
  });

  test("--file reads the SQL; every positional is then a run", async () => {
    writeFileSync(join(dir, "p75.sql"), "select round(quantile_cont(time_to_first_token, 0.75), 6) > 0 as ok from requests");
    const r = await query(["c2", "c4", "--file", "p75.sql", "--format", "json"]);
    expect(JSON.parse(r.out)).toEqual([{ ok: true }]);
  });

  test("queries cannot modify a run", async () => {
    const db = join(dir, "c2", "results.duckdb");
    const before = readFileSync(db);
    const mtime = statSync(db).mtimeMs;
    for (const sql of ["delete from requests", "drop table run0.requests", "update run0.requests set model = 'x'", "create table run0.x (a int)"]) {
      const r = await query(["c2", sql]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^llmbench query: (refused|SQL error): /);
    }
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(statSync(db).mtimeMs).toBe(mtime);
  });

  test("export writes Parquet and CSV that read back with the same rows", async () => {
    const io = fakeIo(dir);
    expect(await runCli(["export", "c2", "c4", "-o", "req.parquet"], COMMANDS, io)).toBe(0);
    expect(io.stderr.join("")).toContain("wrote 16 rows of requests");
    const back = await query([
      "c2",
      `select count(*) as n, count(distinct run_id) as runs from read_parquet('${join(dir, "req.parquet")}')`,
      "--format",
      "csv",
      "--allow-read",
      "req.parquet",
    ]);
    expect(back.out).toBe("n,runs\n16,2\n");
    const io2 = fakeIo(dir);
    expect(await runCli(["export", "c4", "--table", "chunks", "--format", "csv"], COMMANDS, io2)).toBe(0);
    const csv = readFileSync(join(dir, "chunks.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toContain("arrival_ns");
    expect(csv.length).toBe(1 + 10 * 5);
    const bad = fakeIo(dir);
    expect(await runCli(["export", "c4", "--table", "nosuch"], COMMANDS, bad)).toBe(2);
    expect(bad.stderr.join("")).toContain('no table "nosuch"');
  });

  test("a re-run with --overwrite replaces the old run's results whole", async () => {
    await runTestProfile(testProfileConfig(mock.url, { requestCount: 3, osl: 2, artifactDir: "again" }), fakeIo(dir), { slos: [] });
    await runTestProfile(testProfileConfig(mock.url, { requestCount: 5, osl: 2, artifactDir: "again", overwrite: true }), fakeIo(dir), { slos: [] });
    const r = await query(["again", "select count(distinct run_id) as runs, count(*) as n from requests", "--format", "csv"]);
    expect(r.out).toBe("runs,n\n1,5\n");
    expect(
      readFileSync(join(dir, "again", "profile_export.jsonl"), "utf8")
        .trim()
        .split("\n").length,
    ).toBe(5);
  }, 30_000);

  test("--slice-duration: timeslice exports and a slices table whose HDR p99 matches SQL's within precision", async () => {
    const out = await runTestProfile(
      testProfileConfig(mock.url, { requestCount: 40, osl: 5, concurrency: 4, sliceDuration: 0.1, artifactDir: "sliced" }),
      fakeIo(dir),
      { slos: [] },
    );
    const csv = readFileSync(join(out.dir, "profile_export_aiperf_timeslices.csv"), "utf8");
    expect(csv.startsWith("Timeslice,Metric,Unit,Stat,Value\r\n")).toBe(true);
    const json = JSON.parse(readFileSync(join(out.dir, "profile_export_aiperf_timeslices.json"), "utf8")) as { timeslices: { timeslice_index: number }[] };
    expect(json.timeslices.map((t) => t.timeslice_index)).toEqual(json.timeslices.map((_, i) => i));
    const r = await query([
      "sliced",
      `select s.slice_index, s.p99 / 1e6 as hdr_ms, quantile_disc(q.time_to_first_token, 0.99) as exact_ms
      from slices s join requests q on q.start_ns >= s.slice_start_ns and q.start_ns < s.slice_end_ns
      where s.metric = 'time_to_first_token' and q.phase = 'profiling' group by all order by 1`,
      "--format",
      "json",
    ]);
    const rows = JSON.parse(r.out) as { slice_index: number; hdr_ms: number; exact_ms: number }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBe(json.timeslices.length);
    for (const row of rows) expect(Math.abs(row.hdr_ms - row.exact_ms)).toBeLessThanOrEqual(row.exact_ms * 1e-3 + 1e-6);
  }, 30_000);

  test("a missing run and a missing SQL are reported together", async () => {
    const r = await query(["c2"]); // the SQL forgotten: the lone argument is a path, so it is the run
    expect(r.code).toBe(2);
    expect(r.err).toContain("<SQL> is required");
    const r2 = await query(["nope", "c2", "select 1"]);
    expect(r2.err).toContain("nope: no such run directory or results.duckdb");
  });
});
