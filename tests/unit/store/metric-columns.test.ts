import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { METRICS, type MetricTag } from "../../../src/metrics/metric-table.ts";
import { recordValues, toDisplay, type MetricValue, type RecordOptions, type RecordValues } from "../../../src/metrics/record-values.ts";
import { parseGoodput } from "../../../src/metrics/goodput.ts";
import { CHUNK_METRIC_COLUMNS, METRIC_COLUMNS, REQUEST_METRIC_COLUMNS } from "../../../src/store/metric-columns.ts";
import { queryReadOnly } from "../../../src/store/read-db.ts";
import { ResultsWriter } from "../../../src/store/results-db.ts";
import { CHUNK_COLUMNS, REQUEST_COLUMNS } from "../../../src/store/schema.ts";
import { makeRecord } from "../../helpers/records.ts";
import { randomRecords } from "./random-records.ts";

const RUN = { run_id: "r", tool_version: "t", host: "h", config: "{}", started_ns: 0, ended_ns: null };

async function withDb(fn: (db: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "llmbench-mc-"));
  try {
    await fn(join(dir, "results.duckdb"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("metric columns", () => {
  test("one column per record and aggregate metric of the table, named by tag; list metrics on chunks; no duplicate names", () => {
    expect(METRIC_COLUMNS.map((c) => c.tag)).toEqual(METRICS.filter((m) => m.kind !== "derived").map((m) => m.tag));
    expect(CHUNK_METRIC_COLUMNS.map((c) => c.tag)).toEqual(["inter_chunk_latency"]);
    for (const cols of [REQUEST_COLUMNS, CHUNK_COLUMNS]) expect(cols.length).toBe(new Set(cols.map((c) => c.name)).size);
    const type = (tag: string) => METRIC_COLUMNS.find((c) => c.tag === tag)!.type;
    expect([type("time_to_first_token"), type("input_sequence_length"), type("inter_chunk_latency"), type("good_request_count")]).toEqual([
      "DOUBLE",
      "BIGINT",
      "DOUBLE",
      "BIGINT",
    ]);
  });

  test("stored values are the caller's recordValues in display units (ms), NULL where a request has none", async () => {
    const opts: RecordOptions = { streaming: true, slos: parseGoodput(["time_to_first_token:100"]).slos, timed: true };
    const records = randomRecords({ count: 200, seed: 9 });
    await withDb(async (db) => {
      const w = await ResultsWriter.create(db, RUN);
      for (const r of records) w.append(r, recordValues(r, opts));
      await w.close(1);
      const rs = await queryReadOnly(db, `SELECT seq, ${REQUEST_METRIC_COLUMNS.map((c) => `"${c.tag}"`).join(", ")} FROM requests ORDER BY seq`);
      expect(rs.rows.length).toBe(records.length);
      const icl = await queryReadOnly(
        db,
        `SELECT seq, list(inter_chunk_latency ORDER BY chunk_index) FILTER (WHERE chunk_index > 0) FROM chunks GROUP BY seq ORDER BY seq`,
      );
      const iclBySeq = new Map(icl.rows.map(([seq, list]) => [seq, JSON.parse(String(list ?? "[]")) as (number | null)[]]));
      let nonNull = 0;
      records.forEach((r, i) => {
        const v = recordValues(r, opts);
        const want = REQUEST_METRIC_COLUMNS.map((c) => {
          const x = v.get(c.tag);
          return x === undefined ? null : (toDisplay(c.tag, x) as number);
        });
        expect([r.x_request_id, rs.rows[i]]).toEqual([r.x_request_id, [i, ...want]]);
        nonNull += want.filter((x) => x !== null).length;
        const list = v.get("inter_chunk_latency");
        const gaps = iclBySeq.get(i) ?? [];
        expect([r.x_request_id, gaps]).toEqual([
          r.x_request_id,
          list === undefined ? gaps.map(() => null) : (toDisplay("inter_chunk_latency", list) as number[]),
        ]);
      });
      expect(nonNull).toBeGreaterThan(records.length * 5);
      expect([...iclBySeq.values()].flat().filter((x) => x !== null).length).toBeGreaterThan(records.length);
    });
  });

  test("append stores the values it is given (computed once by the caller), not its own", async () => {
    await withDb(async (db) => {
      const w = await ResultsWriter.create(db, RUN);
      const given: RecordValues = new Map<MetricTag, MetricValue>([
        ["time_to_first_token", 7_000_000],
        ["inter_chunk_latency", [1_000_000, 2_500_000]],
      ]);
      w.append(makeRecord({ chunkMs: [20, 30, 40] }), given);
      await w.close(1);
      const rs = await queryReadOnly(db, `SELECT time_to_first_token, request_latency, chunk_count FROM requests`);
      expect(rs.rows).toEqual([[7, null, 3]]);
      const ch = await queryReadOnly(db, `SELECT chunk_index, inter_chunk_latency FROM chunks ORDER BY chunk_index`);
      expect(ch.rows).toEqual([
        [0, null],
        [1, 1],
        [2, 2.5],
      ]);
    });
  });
});
