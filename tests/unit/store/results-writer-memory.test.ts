// The writer's memory settings take: DuckDB's bulk-free threshold drops once the load has ended, and a
// small run's file is written in the block size it was given.
import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ResultsWriter } from "../../../src/store/results-db.ts";

const RUN = { run_id: "r", tool_version: "t", host: "h", config: "{}", started_ns: 0, ended_ns: null };

test("loadEnded() lowers the bulk-free threshold from DuckDB's 512 MiB; blockBytes sets the file's block size", async () => {
  const dir = mkdtempSync(join(tmpdir(), "llmbench-writer-mem-"));
  try {
    const w = await ResultsWriter.create(join(dir, "results.duckdb"), RUN, { blockBytes: 16_384 });
    const conn = await w.connect();
    const read = async (sql: string): Promise<string> => String((await conn.runAndReadAll(sql)).getRows()[0]?.[0]);
    const setting = "SELECT current_setting('allocator_bulk_deallocation_flush_threshold')";
    expect(await read(setting)).toBe("512.0 MiB");
    await w.loadEnded();
    expect(await read(setting)).toBe("976.5 KiB");
    expect(await read("SELECT block_size FROM pragma_database_size()")).toBe("16384");
    conn.closeSync();
    await w.close(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
