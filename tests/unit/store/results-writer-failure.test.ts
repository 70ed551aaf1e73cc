// DuckDB refusing rows mid-run (here: its appender throws as on a full disk) fails the writer once,
// through onError; append() never throws, so the other sinks still get every record.
import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DuckDBAppender } from "@duckdb/node-api";
import { recordValues } from "../../../src/metrics/record-values.ts";
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
