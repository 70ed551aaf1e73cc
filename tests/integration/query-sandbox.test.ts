// `query` and `export` cannot change a run or write anywhere else: every attack below is refused
// with one line and exit 2, and every file of the run (and of the directory around it) is
// byte-identical afterwards.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { runCli } from "../../src/cli/run-cli.ts";
import { COMMANDS } from "../../src/cli/commands.ts";
import { queryRuns } from "../../src/store/read-db.ts";
import { fakeIo } from "../helpers/fake-io.ts";

const ESC = "\u001b";
const SERVER_ERROR = `upstream said ${ESC}[2J${ESC}]0;pwned\u0007 and \u009b31m`;

let dir = "";
let run = "";
let db = "";

async function makeDb(path: string, sql: string): Promise<void> {
  const inst = await DuckDBInstance.create(path);
  const conn = await inst.connect();
  await conn.run(sql);
  conn.closeSync();
  inst.closeSync();
}

/** Every file under `root` (recursively) -> sha256 of its bytes. */
function hashTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(root, p)] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  walk(root);
  return out;
}

async function cli(args: string[], stdoutIsTTY = false) {
  const io = fakeIo(dir);
  const code = await runCli(args, COMMANDS, { ...io, stdoutIsTTY });
  return { code, out: io.stdout.join(""), err: io.stderr.join("") };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-sandbox-"));
  run = join(dir, "run");
  mkdirSync(join(run, "logs"), { recursive: true });
  db = join(run, "results.duckdb");
  await makeDb(
    db,
    `CREATE TABLE runs AS SELECT 'r1' AS run_id, 'mock-model' AS model;
     CREATE TABLE requests AS SELECT 'r1' AS run_id, range AS request_index, 'mock-model' AS model,
       CASE WHEN range = 0 THEN '${SERVER_ERROR.replace(/'/g, "''")}' END AS error_message FROM range(5);`,
  );
  writeFileSync(join(run, "profile_export.jsonl"), '{"a":1}\n');
  writeFileSync(join(run, "logs", "llmbench.log"), "log\n");
  writeFileSync(join(dir, "slo.csv"), "model,ttft_ms\nmock-model,200\n");
  writeFileSync(join(dir, "secret.txt"), "secret\n");
}, 30_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("query is read-only", () => {
  const attacks = (d: string, r: string, file: string): string[] => [
    `COPY (SELECT 1) TO '${d}/f.csv'`,
    `COPY requests TO '${d}/f.parquet' (FORMAT parquet)`,
    `DETACH run0; ATTACH '${file}' AS w; DROP TABLE w.requests`,
    `DETACH run0; ATTACH '${file}' AS w (READ_WRITE); INSERT INTO w.requests SELECT * FROM w.requests`,
    `DETACH run0; ATTACH '${file}' AS run0; DELETE FROM run0.requests`,
    `DETACH run0; ATTACH '${file}' AS run0; DROP TABLE run0.requests`,
    `ATTACH '${d}/new.duckdb' AS n; CREATE TABLE n.t AS SELECT 1`,
    `ATTACH ':memory:' AS m; SELECT 1`,
    "INSTALL httpfs",
    "LOAD httpfs",
    `SET enable_external_access = true; COPY (SELECT 1) TO '${d}/f.csv'`,
    `RESET enable_external_access; COPY (SELECT 1) TO '${d}/f.csv'`,
    `SET lock_configuration = false; SET enable_external_access = true; COPY (SELECT 1) TO '${d}/f.csv'`,
    `SET temp_directory = '${r}'`,
    `EXPORT DATABASE '${d}/exp'`,
    `SELECT * FROM read_text('${d}/secret.txt')`,
    `SELECT * FROM read_csv('${d}/slo.csv')`,
    `PRAGMA enable_profiling = 'json'; PRAGMA profiling_output = '${d}/prof.json'; SELECT 1`,
    `SELECT * FROM enable_logging(storage = 'file', storage_path = '${r}'); SELECT count(*) FROM requests`,
    `CALL enable_logging(storage = 'file', storage_path = '${r}')`,
    `SELECT * FROM query('SELECT * FROM enable_' || 'logging(storage = ''file'', storage_path = ''${r}'')'); SELECT count(*) FROM requests`,
    `SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))`,
    "DELETE FROM requests",
    "UPDATE run0.requests SET model = 'x'",
    "DROP TABLE run0.requests",
    "CREATE TABLE run0.x (a INT)",
    "CHECKPOINT run0",
    "PREPARE p AS SELECT 1; EXECUTE p",
    "EXPLAIN ANALYZE SELECT 1",
    "USE run0; SELECT 1",
  ];

  test("every attack: one line, exit 2, the run and its directory byte-identical", async () => {
    const runBefore = hashTree(run);
    const dirBefore = readdirSync(dir).sort();
    const list = attacks(dir, run, db);
    expect(list.length).toBe(30);
    const outcomes: string[] = [];
    for (const sql of list) {
      const r = await cli(["query", "run", sql]);
      const problem = r.err.split("\n")[0]!;
      outcomes.push(`${r.code} ${/^llmbench query: (refused: |SQL error: )/.test(problem) ? "refused" : problem}`);
      expect(hashTree(run)).toEqual(runBefore);
      expect(readdirSync(dir).sort()).toEqual(dirBefore);
    }
    expect(outcomes).toEqual(list.map(() => "2 refused"));
    // ... and the run still reads as before.
    expect((await cli(["query", "run", "select count(*) as n from requests", "--format", "csv"])).out).toBe("n\n5\n");
  }, 60_000);

  test("table functions a SELECT may call (checkpoint) leave the run as it was", async () => {
    const before = hashTree(run);
    for (const sql of ["select * from checkpoint('run0')", "select * from force_checkpoint('run0')"]) {
      expect((await cli(["query", "run", sql])).code).toBe(0);
    }
    expect(hashTree(run)).toEqual(before);
  });

  test("a refusal says why in one line", async () => {
    const r = await cli(["query", "run", `DETACH run0; ATTACH '${db}' AS w; DROP TABLE w.requests`]);
    expect(r.err.split("\n")[0]).toBe(
      "llmbench query: refused: statement 1 is DETACH; only reads run here (SELECT, WITH, FROM, VALUES, SHOW, DESCRIBE, SUMMARIZE)",
    );
    const f = await cli(["query", "run", `SELECT * FROM read_text('${dir}/secret.txt')`]);
    expect(f.err.split("\n")[0]).toContain("file system operations are disabled");
    expect(f.err.split("\n")[0]).toContain("--allow-read");
  });

  test("DuckDB spills to a private temp dir, never .tmp in the working directory", async () => {
    const rs = await queryRuns([db], "select value from duckdb_settings() where name = 'temp_directory'");
    expect(String(rs.rows[0]![0]).startsWith(join(tmpdir(), "llmbench-query-"))).toBe(true);
  });

  test("reads, SHOW, DESCRIBE, SUMMARIZE and several statements still work", async () => {
    const r = await cli(["query", "run", "select 1 as a; select count(*) as n from requests where error_message is not null", "--format", "csv"]);
    expect(r.out).toBe("n\n1\n");
    expect((await cli(["query", "run", "show tables", "--format", "csv"])).out).toBe("name\nrequests\nruns\n");
    expect((await cli(["query", "run", "describe requests"])).code).toBe(0);
    expect((await cli(["query", "run", "summarize requests"])).code).toBe(0);
    expect((await cli(["query", "run", "/* only a comment */"])).err).toContain("no SQL statement given");
  });
});

describe("--allow-read", () => {
  test("lets the SQL read the files named, and only those; they cannot be written", async () => {
    const sql = `select q.request_index, s.ttft_ms from requests q join read_csv('${dir}/slo.csv') s using (model) order by 1 limit 1`;
    const ok = await cli(["query", "run", sql, "--allow-read", "slo.csv", "--format", "csv"]);
    expect(ok.err).toBe("");
    expect(ok.out).toBe("request_index,ttft_ms\n0,200\n");
    const other = await cli(["query", "run", `select * from read_text('${dir}/secret.txt')`, "--allow-read", "slo.csv"]);
    expect(other.code).toBe(2);
    const before = readFileSync(join(dir, "slo.csv"), "utf8");
    for (const w of [`COPY (SELECT 1) TO '${dir}/slo.csv'`, `EXPLAIN ANALYZE COPY (SELECT 1) TO '${dir}/slo.csv' (FORMAT csv)`]) {
      const r = await cli(["query", "run", w, "--allow-read", "slo.csv"]);
      expect(r.code).toBe(2);
      expect(r.err).toContain("refused:");
    }
    expect(readFileSync(join(dir, "slo.csv"), "utf8")).toBe(before);
    const missing = await cli(["query", "run", "select 1", "--allow-read", "nope.csv"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("--allow-read nope.csv: no such file");
  });
});

describe("a run file from someone else", () => {
  test("a table name crafted to break out of the view's SQL is only a name", async () => {
    const evil = join(dir, "evil");
    mkdirSync(evil);
    const pwned = join(dir, "pwned.csv");
    const name = `x" AS SELECT 1; COPY (SELECT 1) TO '${pwned}'; --`;
    await makeDb(join(evil, "results.duckdb"), `CREATE TABLE "${name.replace(/"/g, '""')}" AS SELECT 42 AS v`);
    const r = await cli(["query", "evil", `select v from "${name.replace(/"/g, '""')}"`, "--format", "csv"]);
    expect(r.err).toBe("");
    expect(r.out).toBe("v\n42\n");
    expect(existsSync(pwned)).toBe(false);
    rmSync(evil, { recursive: true, force: true });
  });
});

describe("query output cannot drive the terminal", () => {
  test("table and markdown escape control characters from a server's error message", async () => {
    for (const format of ["table", "markdown"]) {
      const r = await cli(["query", "run", "select error_message from requests where error_message is not null", "--format", format]);
      expect(r.code).toBe(0);
      expect(r.out).toContain("upstream said \\x1b[2J\\x1b]0;pwned\\x07 and \\x9b31m");
      expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(r.out)).toBe(false);
    }
  });

  test("CSV escapes on a terminal and keeps the bytes when piped; JSON escapes losslessly", async () => {
    const sql = "select error_message from requests where error_message is not null";
    const tty = await cli(["query", "run", sql, "--format", "csv"], true);
    expect(tty.out).toBe("error_message\nupstream said \\x1b[2J\\x1b]0;pwned\\x07 and \\x9b31m\n");
    const piped = await cli(["query", "run", sql, "--format", "csv"], false);
    expect(piped.out).toBe(`error_message\n${SERVER_ERROR}\n`);
    const json = await cli(["query", "run", sql, "--format", "json"], true);
    expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(json.out)).toBe(false);
    expect(JSON.parse(json.out)).toEqual([{ error_message: SERVER_ERROR }]);
  });
});

describe("export writes -o and nothing else", () => {
  test("the format follows the -o extension", async () => {
    const cases: [string, (text: string) => void][] = [
      ["e.csv", (t) => expect(t.split("\n")[0]).toBe("run_id,request_index,model,error_message")],
      [
        "e.jsonl",
        (t) =>
          expect(
            t
              .trim()
              .split("\n")
              .map((l) => JSON.parse(l) as { request_index: number })
              .map((o) => o.request_index),
          ).toEqual([0, 1, 2, 3, 4]),
      ],
      ["e.ndjson", (t) => expect(t.trim().split("\n").length).toBe(5)],
      ["e.json", (t) => expect((JSON.parse(t) as unknown[]).length).toBe(5)],
      ["e.parquet", (t) => expect(t.startsWith("PAR1")).toBe(true)],
    ];
    for (const [file, check] of cases) {
      const r = await cli(["export", "run", "-o", file]);
      expect(r.err).toBe(`wrote 5 rows of requests to ${join(dir, file)}\n`);
      expect(r.code).toBe(0);
      check(readFileSync(join(dir, file), "latin1"));
    }
    // A second export over the same file replaces it.
    expect((await cli(["export", "run", "-o", "e.csv", "--table", "runs"])).code).toBe(0);
    expect(readFileSync(join(dir, "e.csv"), "utf8")).toBe("run_id,model\nr1,mock-model\n");
    for (const [file] of cases) rmSync(join(dir, file));
  });

  test("a --format that contradicts -o, an unknown extension or a run's own file: one line, exit 2, nothing written", async () => {
    const runBefore = hashTree(run);
    const dirBefore = readdirSync(dir).sort();
    const bad: [string[], string][] = [
      [["-o", "x.csv", "--format", "parquet"], "--format parquet does not match -o x.csv (.csv is csv)"],
      [["-o", "x.dat"], '-o x.dat: cannot tell the format from ".dat"'],
      [["-o", "run/results.duckdb", "--format", "csv"], "-o run/results.duckdb: that is a run's database"],
      [["-o", "run/results.duckdb.wal", "--format", "csv"], "-o run/results.duckdb.wal: that is a run's database"],
    ];
    for (const [args, message] of bad) {
      const r = await cli(["export", "run", ...args]);
      expect(r.code).toBe(2);
      expect(r.err.split("\n")[0]).toContain(message);
    }
    expect(hashTree(run)).toEqual(runBefore);
    expect(readdirSync(dir).sort()).toEqual(dirBefore);
  });

  test("a crafted table name in a run cannot make export write another file", async () => {
    const evil = join(dir, "evil2");
    mkdirSync(evil);
    const pwned = join(dir, "pwned2.csv");
    await makeDb(
      join(evil, "results.duckdb"),
      `CREATE TABLE requests AS SELECT 1 AS v; CREATE TABLE "x"" AS SELECT 1; COPY (SELECT 1) TO '${pwned}'; --" (v INT)`,
    );
    const r = await cli(["export", "evil2", "-o", "ok.csv"]);
    expect(r.code).toBe(0);
    expect(existsSync(pwned)).toBe(false);
    rmSync(join(dir, "ok.csv"));
    rmSync(evil, { recursive: true, force: true });
  });
});
