import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { METRICS } from "../../../src/metrics/metric-table.ts";
import { recordValues, toDisplay, type RecordOptions, type RecordValues } from "../../../src/metrics/record-values.ts";
import { parseGoodput } from "../../../src/metrics/goodput.ts";
import { METRIC_COLUMNS } from "../../../src/store/metric-columns.ts";
import { queryReadOnly } from "../../../src/store/read-db.ts";
import { ResultsWriter } from "../../../src/store/results-db.ts";
import { REQUEST_COLUMNS } from "../../../src/store/schema.ts";
import { makeRecord } from "../../helpers/records.ts";
import { randomRecords } from "./random-records.ts";

describe("requests table metric columns", () => {
  test("one column per record and aggregate metric of the table, named by tag; no duplicate names", () => {
    expect(METRIC_COLUMNS.map((c) => c.tag)).toEqual(METRICS.filter((m) => m.kind !== "derived").map((m) => m.tag));
    const names = REQUEST_COLUMNS.map((c) => c.name);
    expect(names.length).toBe(new Set(names).size);
    const type = (tag: string) => METRIC_COLUMNS.find((c) => c.tag === tag)!.type;
    expect([type("time_to_first_token"), type("input_sequence_length"), type("inter_chunk_latency"), type("good_request_count")]).toEqual([
      "DOUBLE", "BIGINT", "DOUBLE[]", "BIGINT",
    ]);
  });

  test("stored values are the caller's recordValues in display units (ms), NULL where a request has none", async () => {
    const opts: RecordOptions = { streaming: true, slos: parseGoodput(["time_to_first_token:100"]).slos, timed: true };
    const records = randomRecords({ count: 200, seed: 9 });
    const dir = mkdtempSync(join(tmpdir(), "llmbench-mc-"));
    const db = join(dir, "results.duckdb");
    const w = await ResultsWriter.create(db, { run_id: "r", tool_version: "t", host: "h", config: "{}", started_ns: 0, ended_ns: null });
    for (const r of records) w.append(r, recordValues(r, opts));
    await w.close(1);
    try {
      const rs = await queryReadOnly(db, `SELECT ${METRIC_COLUMNS.map((c) => `"${c.tag}"`).join(", ")} FROM requests ORDER BY request_index`);
      expect(rs.rows.length).toBe(records.length);
      let nonNull = 0;
      records.forEach((r, i) => {
        const v = recordValues(r, opts);
        const want = METRIC_COLUMNS.map((c) => {
          const x = v.get(c.tag);
          return x === undefined ? null : c.type === "DOUBLE[]" ? JSON.stringify(toDisplay(c.tag, x)) : toDisplay(c.tag, x);
        });
        const got = rs.rows[i]!.map((cell, j) => (METRIC_COLUMNS[j]!.type === "DOUBLE[]" && cell !== null ? JSON.stringify(JSON.parse(String(cell))) : cell));
        expect([r.x_request_id, got]).toEqual([r.x_request_id, want]);
        nonNull += want.filter((x) => x !== null).length;
      });
      expect(nonNull).toBeGreaterThan(records.length * 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("append stores the values it is given (computed once by the caller), not its own", async () => {
    const dir = mkdtempSync(join(tmpdir(), "llmbench-mc-"));
    const db = join(dir, "results.duckdb");
    const w = await ResultsWriter.create(db, { run_id: "r", tool_version: "t", host: "h", config: "{}", started_ns: 0, ended_ns: null });
    const given: RecordValues = new Map([["time_to_first_token", 7_000_000], ["inter_chunk_latency", [1_000_000, 2_500_000]]]);
    w.append(makeRecord({ chunkMs: [20, 30, 40] }), given);
    await w.close(1);
    try {
      const rs = await queryReadOnly(db, `SELECT time_to_first_token, inter_chunk_latency::VARCHAR, request_latency, chunk_count FROM requests`);
      expect(rs.rows).toEqual([[7, "[1.0, 2.5]", null, 3]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
