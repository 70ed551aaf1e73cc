// Writes results.duckdb during a run: records are appended in batches and flushed at least every
// FLUSH_INTERVAL_MS, so a killed run keeps everything older than that.
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from "@duckdb/node-api";
import { appendRow, createTableSql } from "./columns.ts";
import { CHUNK_COLUMNS, REQUEST_COLUMNS, RUN_COLUMNS, SLICE_COLUMNS, requestRow, type RunRow } from "./schema.ts";
import type { SliceHistogram } from "../metrics/slice-histograms.ts";
import { readRecords } from "./read-records.ts";
import type { RequestRecord } from "../record/request-record.ts";

const FLUSH_INTERVAL_MS = 500;

export interface WriterOptions {
  /** Streaming runs have TTFT/ITL columns; non-streaming ones leave them NULL. */
  streaming: boolean;
  /** A flush failed (disk full, I/O error): told once; later rows are dropped, earlier ones stay in the file. */
  onError?: (e: Error, path: string) => void;
}

export class ResultsWriter {
  private pending = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;
  private failed = false;

  private constructor(
    private readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly requests: DuckDBAppender,
    private readonly chunks: DuckDBAppender,
    private readonly run: RunRow,
    private readonly opts: WriterOptions,
  ) {}

  static async create(path: string, run: RunRow, opts: WriterOptions): Promise<ResultsWriter> {
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    await conn.run(createTableSql("runs", RUN_COLUMNS));
    await conn.run(createTableSql("requests", REQUEST_COLUMNS));
    await conn.run(createTableSql("chunks", CHUNK_COLUMNS));
    await conn.run(createTableSql("slices", SLICE_COLUMNS));
    const runs = await conn.createAppender("runs");
    appendRow(runs, RUN_COLUMNS, run);
    runs.closeSync();
    const w = new ResultsWriter(path, instance, conn, await conn.createAppender("requests"), await conn.createAppender("chunks"), run, opts);
    w.timer = setInterval(() => w.flush(), FLUSH_INTERVAL_MS);
    return w;
  }

  append(record: RequestRecord): void {
    if (this.closed) throw new Error("results writer is closed");
    if (this.failed) return;
    appendRow(this.requests, REQUEST_COLUMNS, requestRow(this.run.run_id, record, this.opts.streaming));
    record.chunks.forEach((chunk, chunk_index) =>
      appendRow(this.chunks, CHUNK_COLUMNS, { run_id: this.run.run_id, x_request_id: record.x_request_id, chunk_index, chunk }),
    );
    this.pending++;
  }

  /** Every record of this run, read back from the file (flushes first). */
  async readRecords(): Promise<RequestRecord[]> {
    if (this.closed) throw new Error("results writer is closed");
    this.flush();
    return readRecords(this.conn, this.run.run_id);
  }

  /** Stores the per-slice HDR histograms (at the end of a run). */
  async appendSlices(rows: readonly SliceHistogram[]): Promise<void> {
    if (this.closed) throw new Error("results writer is closed");
    const a = await this.conn.createAppender("slices");
    for (const h of rows) appendRow(a, SLICE_COLUMNS, { run_id: this.run.run_id, h });
    a.closeSync();
  }

  /** Makes appended rows durable (visible to other readers after the WAL is written). */
  flush(): void {
    if (this.closed || this.failed || this.pending === 0) return;
    try {
      this.requests.flushSync();
      this.chunks.flushSync();
      this.pending = 0;
    } catch (e) {
      this.failed = true;
      this.opts.onError?.(e instanceof Error ? e : new Error(String(e)), this.path);
    }
  }

  /** A flush failed: the file holds what was flushed before. */
  get hasFailed(): boolean {
    return this.failed;
  }

  async close(ended_ns: number): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.requests.closeSync();
    this.chunks.closeSync();
    await this.conn.run(`UPDATE runs SET ended_ns = ${Math.round(ended_ns)} WHERE run_id = '${this.run.run_id.replace(/'/g, "''")}'`);
    await this.conn.run("CHECKPOINT");
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
