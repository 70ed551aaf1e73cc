import { describe, expect, test } from "bun:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { appendRow, type Column, createTableSql } from "../../../src/store/columns.ts";

const COLUMNS: Column<number>[] = [{ name: "v", type: "BIGINT", get: (v) => v }];

describe("appendRow BIGINT", () => {
  test.each([
    ["zero", 0],
    ["an epoch-ns timestamp past 2^53", 1_700_000_000_123_456_789],
    ["2^53 + 2", 2 ** 53 + 2],
    ["negative", -1_234_567_890_123],
    ["a half rounds up, as Math.round does", 2.5],
    ["a negative half rounds toward +inf, as Math.round does", -2.5],
    ["near the int64 ends", 9.2e18],
  ])("%s is stored as BigInt(Math.round(v))", async (_name, v) => {
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    await conn.run(createTableSql("t", COLUMNS));
    const app = await conn.createAppender("t");
    appendRow(app, COLUMNS, v);
    app.flushSync();
    app.closeSync();
    const rows = (await conn.runAndReadAll("select v from t")).getRows();
    expect(rows.length).toBe(1);
    expect(rows[0]![0]).toBe(BigInt(Math.round(v)));
    conn.closeSync();
  });

  test("non-finite values are stored as NULL", async () => {
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    await conn.run(createTableSql("t", COLUMNS));
    const app = await conn.createAppender("t");
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY]) appendRow(app, COLUMNS, v);
    app.flushSync();
    app.closeSync();
    expect((await conn.runAndReadAll("select count(*) filter (where v is null), count(*) from t")).getRows()).toEqual([[2n, 2n]]);
    conn.closeSync();
  });
});

describe("appendRow DOUBLE", () => {
  test("keeps the fraction", async () => {
    const cols: Column<number>[] = [{ name: "d", type: "DOUBLE", get: (v) => v }];
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    await conn.run(createTableSql("t", cols));
    const app = await conn.createAppender("t");
    for (const v of [2.5, -0.125, 1e-9]) appendRow(app, cols, v);
    app.flushSync();
    app.closeSync();
    expect((await conn.runAndReadAll("select d from t")).getRows()).toEqual([[2.5], [-0.125], [1e-9]]);
    conn.closeSync();
  });
});
