import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ResultsWriter } from "../../../src/store/results-db.ts";
import { makeRecord } from "../../helpers/records.ts";

test("records read back from results.duckdb equal what was stored, in arrival order", async () => {
  const db = join(mkdtempSync(join(tmpdir(), "llmbench-rr-")), "results.duckdb");
  const w = await ResultsWriter.create(db, { run_id: "r1", tool_version: "t", host: "h", config: "{}", started_ns: 0, ended_ns: null }, { streaming: true });
  const recs = [
    makeRecord({ chunkMs: [10, 20, 30], tokensPerChunk: 2, usage: { prompt: 10, completion: 6, total: 16 }, requestedOutputTokens: 6 }, 2),
    makeRecord({ error: { code: 500, type: "http_error", message: "HTTP 500: boom" } }, 0),
    { ...makeRecord({ chunkMs: [5] }, 1), cancelled: true, error: { code: 499, type: "cancelled", message: "c" }, phase: "warmup" as const },
  ];
  for (const r of recs) w.append(r);
  const back = await w.readRecords();
  await w.close(1);
  expect(back).toEqual(recs);
});
