// DuckDB refusing rows mid-run (here: its appender throws as on a full disk) fails the writer once,
// through onError; append() never throws, so the other sinks still get every record.
import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DuckDBAppender } from "@duckdb/node-api";
import { recordValues } from "../../../src/metrics/record-values.ts";
import { queryReadOnly } from "../../../src/store/read-db.ts";
import { ResultsWriter } from "../../../src/store/results-db.ts";
import { makeRecord } from "../../helpers/records.ts";

const RUN = { run_id: "r", tool_version: "t", host: "h", config: "{}", started_ns: 0, ended_ns: null };

test("a refused data chunk fails the writer once; append goes on without throwing", async () => {
  const dir = mkdtempSync(join(tmpdir(), "llmbench-fail-"));
  try {
    const errors: string[] = [];
    const w = await ResultsWriter.create(join(dir, "results.duckdb"), RUN, { onError: (e) => errors.push(e.message) });
    (w as unknown as { chunks: DuckDBAppender }).chunks.appendDataChunk = () => {
      throw new Error("IO Error: No space left on device");
    };
    const chunkMs = Array.from({ length: 20 }, (_, i) => 10 + i);
    // 150 records of 20 chunks: the chunks batch fills (2,048 rows) and is handed over inside append().
    for (let i = 0; i < 150; i++) {
      const r = makeRecord({ chunkMs }, i);
      expect(() => w.append(r, recordValues(r, { streaming: true }))).not.toThrow();
    }
    expect(errors).toEqual(["IO Error: No space left on device"]);
    expect(w.hasFailed).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("after a refusal the file holds whole requests only: no chunk row without its request", async () => {
  const dir = mkdtempSync(join(tmpdir(), "llmbench-fail-"));
  try {
    const db = join(dir, "results.duckdb");
    const errors: string[] = [];
    const w = await ResultsWriter.create(db, RUN, { onError: (e) => errors.push(e.message) });
    const chunkMs = Array.from({ length: 20 }, (_, i) => 10 + i);
    const add = (i: number) => {
      const r = makeRecord({ chunkMs }, i);
      w.append(r, recordValues(r, { streaming: true }));
    };
    for (let i = 0; i < 10; i++) add(i);
    w.flush(); // these 10 are in the file
    (w as unknown as { requests: DuckDBAppender }).requests.appendDataChunk = () => {
      throw new Error("IO Error: No space left on device");
    };
    for (let i = 10; i < 2100; i++) add(i); // the chunks table hands chunks over on its own; requests' first is refused
    await w.close(2);
    expect(errors).toEqual(["IO Error: No space left on device"]);
    const counts = await queryReadOnly(
      db,
      "select (select count(*) from requests), (select count(distinct seq) from chunks), (select count(*) from chunks c where not exists (select 1 from requests r where r.seq = c.seq))",
    );
    expect(counts.rows).toEqual([[10, 10, 0]]);
    const ended = await queryReadOnly(db, "select ended_ns from runs");
    expect(ended.rows).toEqual([[2]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
