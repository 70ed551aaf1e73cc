import { describe, expect, test } from "bun:test";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { ColumnBatch } from "../../../src/store/column-batch.ts";
import { appendRow, type CellValue, type Column, createTableSql } from "../../../src/store/columns.ts";

type Row = readonly CellValue[];

const TYPES = ["VARCHAR", "INTEGER", "BIGINT", "DOUBLE", "BOOLEAN", "JSON"] as const;
const COLUMNS: Column<Row>[] = TYPES.map((type, i) => ({ name: `c${i}_${type.toLowerCase()}`, type, get: (r) => r[i] ?? null }));

/** Values of each type that a writer could get wrong: edges, NULLs, non-finite numbers, text that is not ASCII. */
const EDGES: Record<(typeof TYPES)[number], CellValue[]> = {
  VARCHAR: ["", "a", "00000000-0000-4000-8000-000000000001", "é漢字🙂", "line\nbreak", "x".repeat(5000), "nul\u0000inside", "lone \ud800 surrogate", null],
  INTEGER: [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2.5, -2.5, Number.NaN, Number.POSITIVE_INFINITY, null],
  BIGINT: [0, -1, 2 ** 32, 2 ** 32 - 1, -(2 ** 32), 2 ** 53 + 2, 1_700_000_000_123_456_789, -1_234_567_890_123, 9.2e18, -9.2e18, 2.5, -2.5, Number.NaN, null],
  DOUBLE: [0, -0.125, 1e-9, 1.7e308, Number.MIN_VALUE, Number.NEGATIVE_INFINITY, null],
  BOOLEAN: [true, false, null],
  JSON: ['{"a":1}', "[]", null],
};

/** Row i takes value i (mod its list's length) of each column: every edge meets every row position. */
const row = (i: number): Row => TYPES.map((t, c) => EDGES[t][(i * (c + 1)) % EDGES[t].length]!);

async function twoTables(): Promise<DuckDBConnection> {
  const conn = await (await DuckDBInstance.create(":memory:")).connect();
  await conn.run(createTableSql("by_row", COLUMNS));
  await conn.run(createTableSql("by_batch", COLUMNS));
  return conn;
}

/** Both tables' rows in insertion order, as DuckDB reads them back. */
async function readBoth(conn: DuckDBConnection): Promise<[unknown[][], unknown[][]]> {
  const read = async (t: string) => (await conn.runAndReadAll(`select * from ${t}`)).getRows();
  return [await read("by_row"), await read("by_batch")];
}

describe("ColumnBatch", () => {
  test.each([
    ["fewer rows than a chunk", 37, [] as number[]],
    ["exactly one chunk", 2048, []],
    ["several chunks and a part", 5000, []],
    ["flushed at odd points in between", 3000, [1, 2, 700, 2047, 2900]],
  ])("%s: the same table as appendRow, value for value", async (_name, n, flushAt) => {
    const conn = await twoTables();
    const byRow = await conn.createAppender("by_row");
    const byBatch = await conn.createAppender("by_batch");
    const batch = new ColumnBatch(byBatch, COLUMNS);
    for (let i = 0; i < n; i++) {
      appendRow(byRow, COLUMNS, row(i));
      batch.add(row(i));
      if (flushAt.includes(i)) batch.flush();
    }
    batch.flush();
    expect(batch.pending).toBe(0);
    for (const a of [byRow, byBatch]) a.closeSync();
    const [a, b] = await readBoth(conn);
    expect(a.length).toBe(n);
    expect(b.length).toBe(n);
    expect(b).toEqual(a);
    conn.closeSync();
  });

  test("a text column with one value in every row (a run id) goes in as a constant: the same table, value for value, when it changes mid-chunk, is NULL once, or is one row", async () => {
    const cols: Column<Row>[] = [
      { name: "run_id", type: "VARCHAR", get: (r) => r[0] ?? null },
      { name: "seq", type: "BIGINT", get: (r) => r[1] ?? null },
      { name: "tag", type: "JSON", get: (r) => r[2] ?? null },
    ];
    const conn = await (await DuckDBInstance.create(":memory:")).connect();
    await conn.run(createTableSql("by_row", cols));
    await conn.run(createTableSql("by_batch", cols));
    const byRow = await conn.createAppender("by_row");
    const byBatch = await conn.createAppender("by_batch");
    const batch = new ColumnBatch(byBatch, cols);
    const n = 7000;
    // Row 4500 of the third chunk is NULL; the id changes at row 3000; one chunk of a single row.
    const runOf = (i: number): CellValue => (i === 4500 ? null : i < 3000 ? "run-a" : "run-b");
    for (let i = 0; i < n; i++) {
      const r: Row = [runOf(i), i, '{"k":1}'];
      appendRow(byRow, cols, r);
      batch.add(r);
      if (i === 6000 || i === 6001) batch.flush();
    }
    batch.flush();
    for (const x of [byRow, byBatch]) x.closeSync();
    const [a, b] = await readBoth(conn);
    expect(a.length).toBe(n);
    expect(b).toEqual(a);
    expect(b.filter((r) => r[0] === "run-a").length).toBe(3000);
    expect(b.filter((r) => r[0] === null).length).toBe(1);
    conn.closeSync();
  });

  test("a chunk with NULLs, then one without: the second keeps every value", async () => {
    const conn = await twoTables();
    const app = await conn.createAppender("by_batch");
    const batch = new ColumnBatch(app, COLUMNS);
    batch.add([null, null, null, null, null, null]);
    batch.flush();
    batch.add(["x", 1, 2, 3.5, true, "{}"]);
    batch.flush();
    app.closeSync();
    const rows = (await conn.runAndReadAll("select * from by_batch")).getRows();
    expect(rows).toEqual([
      [null, null, null, null, null, null],
      ["x", 1, 2n, 3.5, true, "{}"],
    ]);
    conn.closeSync();
  });

  test("a BIGINT past int64 is NULL, not a wrapped number", async () => {
    const conn = await twoTables();
    const app = await conn.createAppender("by_batch");
    const batch = new ColumnBatch(app, COLUMNS);
    for (const v of [2 ** 63, -(2 ** 63) - 4096, 1e19]) batch.add(["x", 0, v, 0, false, null]);
    batch.add(["x", 0, -(2 ** 63), 0, false, null]);
    batch.flush();
    app.closeSync();
    const rows = (await conn.runAndReadAll("select c2_bigint from by_batch")).getRows();
    expect(rows).toEqual([[null], [null], [null], [-(2n ** 63n)]]);
    conn.closeSync();
  });

  test("refuses a column list that does not match the table", async () => {
    const conn = await twoTables();
    const app = await conn.createAppender("by_batch");
    expect(() => new ColumnBatch(app, COLUMNS.slice(1))).toThrow(/6 columns, the table's list 5/);
    app.closeSync();
    conn.closeSync();
  });
});

describe("ColumnBatch refusals", () => {
  test("a table whose column is not the list's type is refused before any byte is copied", async () => {
    const conn = await (await DuckDBInstance.create(":memory:")).connect();
    await conn.run("create table t (x VARCHAR, n INTEGER)");
    const app = await conn.createAppender("t");
    const cols: Column<number>[] = [
      { name: "x", type: "DOUBLE", get: (v) => v },
      { name: "n", type: "BIGINT", get: (v) => v },
    ];
    expect(() => new ColumnBatch(app, cols)).toThrow(/column x is VARCHAR in the table, DOUBLE in the list/);
    // JSON is VARCHAR underneath: accepted.
    const ok: Column<number>[] = [
      { name: "x", type: "JSON", get: () => "{}" },
      { name: "n", type: "INTEGER", get: (v) => v },
    ];
    expect(() => new ColumnBatch(app, ok)).not.toThrow();
    app.closeSync();
    conn.closeSync();
  });

  test("a row whose value getter throws is not added, and leaves the next row's cells as they are", async () => {
    const conn = await (await DuckDBInstance.create(":memory:")).connect();
    await conn.run("create table t (a INTEGER, b INTEGER)");
    const app = await conn.createAppender("t");
    const cols: Column<{ a: number | null; b: number | (() => never) }>[] = [
      { name: "a", type: "INTEGER", get: (r) => r.a },
      { name: "b", type: "INTEGER", get: (r) => (typeof r.b === "function" ? r.b() : r.b) },
    ];
    const batch = new ColumnBatch(app, cols);
    expect(() =>
      batch.add({
        a: null,
        b: () => {
          throw new Error("boom");
        },
      }),
    ).toThrow("boom");
    expect(batch.pending).toBe(0);
    batch.add({ a: 42, b: 7 });
    batch.flush();
    app.closeSync();
    expect((await conn.runAndReadAll("select a, b from t")).getRows()).toEqual([[42, 7]]);
    conn.closeSync();
  });
});
