// Writes results.duckdb during a run: records are appended in batches and flushed at least every
// FLUSH_INTERVAL_MS, so a killed run keeps everything older than that. At the end the summary, slices,
// schedule report and counts are computed from the file in SQL (store/summary-db.ts): no record is
// kept in memory, and DuckDB's own memory is capped (it spills to `<db>.tmp` beyond the cap).
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from "@duckdb/node-api";
import { appendRow, createTableSql } from "./columns.ts";
import { ColumnBatch } from "./column-batch.ts";
import { CHUNK_COLUMNS, REQUEST_COLUMNS, RUN_COLUMNS, SLICE_COLUMNS, type ChunkRow, type RequestRow, type RunRow } from "./schema.ts";
import type { SliceHistogram } from "../metrics/slice-histograms.ts";
import type { RecordValues } from "../metrics/record-values.ts";
import type { ScheduleOptions, ScheduleReport } from "../metrics/schedule-report.ts";
import type { Summary, SummaryOptions } from "../metrics/summary.ts";
import type { RequestRecord } from "../record/request-record.ts";
import { summarizeDb } from "./summary-db.ts";
import { summarizeSlicesDb, type DbSliceSummary } from "./slices-db.ts";
import { LiveBins } from "./live-bins.ts";
import { METRIC_COLUMNS, chunkCell, requestCell } from "./metric-columns.ts";
import type { MetricTag } from "../metrics/metric-table.ts";

/** Per-request metrics (not aggregates): their values are summarized with statistics. */
const RECORD_METRIC_COLUMNS = METRIC_COLUMNS.filter((c) => c.spec.kind === "record");
import { runCountsDb, scheduleReportDb, type RunCounts } from "./schedule-db.ts";

const FLUSH_INTERVAL_MS = 500;

/** DuckDB's buffer pool cap: its memory stays flat however many requests the run stores. */
export const DEFAULT_MEMORY_LIMIT = "128MB";

/**
 * DuckDB's allocator keeps what a task freed for reuse unless the task's peak passed this; past it, the
 * freed memory goes back to the OS. At DuckDB's default (128MB) a long run's RSS kept creeping up and the
 * end-of-run statistics left ~50-100 MB more resident (`bun scripts/bench.ts memory`).
 */
const ALLOCATOR_FLUSH_THRESHOLD = "4MB";

/**
 * After the load, a bulk free above this goes back to the OS at once (DuckDB's default: 512 MB). Set
 * from the start, 1,000,000 records went in at 34.1 vs 33.3 us each (means of two pairs).
 */
const END_BULK_FLUSH_THRESHOLD = "1MB";

export interface WriterOptions {
  /** DuckDB memory_limit (e.g. "128MB"). */
  memoryLimit?: string;
  /** The new file's block size in bytes (store/block-size.ts); DuckDB's 256 KiB when absent. */
  blockBytes?: number;
  /** A flush failed (disk full, I/O error): told once; later rows are dropped, earlier ones stay in the file. */
  onError?: (e: Error, path: string) => void;
}

export class ResultsWriter {
  private pending = 0;
  private seq = 0;
  /** Bins of the profiling requests' values, for the summary (bounded by the values' spread). */
  private readonly live = new LiveBins<MetricTag>();
  /** Summaries that found the live bins stale and scanned the table instead (expected: 0). */
  staleBinFallbacks = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;
  private failed = false;

  private constructor(
    private readonly path: string,
    private readonly opts: WriterOptions,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly requests: DuckDBAppender,
    private readonly chunks: DuckDBAppender,
    private readonly run: RunRow,
  ) {
    this.requestRows = new ColumnBatch(requests, REQUEST_COLUMNS);
    this.chunkRows = new ColumnBatch(chunks, CHUNK_COLUMNS);
  }

  /** Rows gathered a data chunk at a time (column-batch.ts), handed to the appenders at each flush. */
  private readonly requestRows: ColumnBatch<RequestRow>;
  private readonly chunkRows: ColumnBatch<ChunkRow>;

  static async create(path: string, run: RunRow, opts: WriterOptions = {}): Promise<ResultsWriter> {
    const instance = await DuckDBInstance.create(path, {
      memory_limit: opts.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
      allocator_flush_threshold: ALLOCATOR_FLUSH_THRESHOLD,
      // A thread of its own returns freed memory in the background rather than on the appending thread.
      allocator_background_threads: "true",
      ...(opts.blockBytes === undefined ? {} : { default_block_size: String(opts.blockBytes) }),
    });
    const conn = await instance.connect();
    await conn.run(createTableSql("runs", RUN_COLUMNS));
    await conn.run(createTableSql("requests", REQUEST_COLUMNS));
    await conn.run(createTableSql("chunks", CHUNK_COLUMNS));
    await conn.run(createTableSql("slices", SLICE_COLUMNS));
    const runs = await conn.createAppender("runs");
    appendRow(runs, RUN_COLUMNS, run);
    runs.closeSync();
    const w = new ResultsWriter(path, opts, instance, conn, await conn.createAppender("requests"), await conn.createAppender("chunks"), run);
    w.timer = setInterval(() => w.flush(), FLUSH_INTERVAL_MS);
    return w;
  }

  /** Stores one request; `values` = recordValues(record, opts), computed once by the caller. */
  append(record: RequestRecord, values: RecordValues): void {
    this.assertOpen();
    if (this.failed) return;
    const seq = this.seq++;
    try {
      // A full chunk goes to DuckDB from inside add(): a failure there is a failed flush, not the caller's.
      let handed = this.requestRows.add({ run_id: this.run.run_id, seq, record, values });
      const row: ChunkRow = { run_id: this.run.run_id, seq, chunk_index: 0, chunk: record.chunks[0]!, values };
      for (let i = 0; i < record.chunks.length; i++) {
        row.chunk_index = i;
        row.chunk = record.chunks[i]!;
        handed = this.chunkRows.add(row) || handed;
      }
      // Both tables hand their rows over together, so the appenders hold the same requests' rows.
      if (handed) {
        this.requestRows.flush();
        this.chunkRows.flush();
      }
    } catch (e) {
      this.fail(e);
      return;
    }
    if (record.phase === "profiling") this.binValues(record, values);
    this.pending++;
  }

  /** summarize() of this run's profiling requests (flushes first). `opts`: the ones the values were computed with. */
  async summary(opts: SummaryOptions): Promise<Summary> {
    this.assertOpen();
    this.flush();
    return summarizeDb(this.conn, { ...opts, runId: this.run.run_id }, { bins: this.live, onStale: () => this.staleBinFallbacks++ });
  }

  /** Bins held for the summary (bounded by the values' spread, not their number). */
  get liveBinCount(): number {
    return this.live.size;
  }

  /** The stored display values, binned as the summary's SQL bins them (same cells as the columns). */
  private binValues(record: RequestRecord, values: RecordValues): void {
    for (const c of RECORD_METRIC_COLUMNS) {
      if (!values.has(c.tag)) continue;
      if (c.table === "requests") {
        const v = requestCell(c, values);
        if (typeof v === "number") this.live.add(c.tag, v);
      } else {
        for (let i = 1; i < record.chunks.length; i++) {
          const v = chunkCell(c, values, i);
          if (typeof v === "number") this.live.add(c.tag, v);
        }
      }
    }
  }

  /** Per-slice summaries for the timeslice exports; each slice's HDR histograms go to the `slices` table. */
  async sliceSummaries(opts: SummaryOptions, sliceNs: number): Promise<DbSliceSummary[]> {
    this.assertOpen();
    this.flush();
    // A second connection: the histograms are appended while the first one streams the bins.
    const conn = await this.instance.connect();
    const slices = await conn.createAppender("slices");
    try {
      return await summarizeSlicesDb(this.conn, {
        ...opts,
        runId: this.run.run_id,
        sliceNs,
        onHistogram: (h) => appendRow(slices, SLICE_COLUMNS, { run_id: this.run.run_id, h }),
      });
    } finally {
      slices.closeSync();
      conn.closeSync();
    }
  }

  async scheduleReport(o: ScheduleOptions): Promise<ScheduleReport> {
    this.assertOpen();
    this.flush();
    return scheduleReportDb(this.conn, { ...o, runId: this.run.run_id });
  }

  async counts(): Promise<RunCounts> {
    this.assertOpen();
    this.flush();
    return runCountsDb(this.conn, { runId: this.run.run_id });
  }

  /** Stores per-slice HDR histograms built elsewhere. */
  async appendSlices(rows: readonly SliceHistogram[]): Promise<void> {
    this.assertOpen();
    const a = await this.conn.createAppender("slices");
    for (const h of rows) appendRow(a, SLICE_COLUMNS, { run_id: this.run.run_id, h });
    a.closeSync();
  }

  /** Another connection to the results file (the metric scrapers append on their own); the caller closes it before close(). */
  async connect(): Promise<DuckDBConnection> {
    this.assertOpen();
    return this.instance.connect();
  }

  /** Records how late the load started after --start-at (runs.start_lag_ns). */
  async setStartLag(lagNs: number): Promise<void> {
    if (this.closed) throw new Error("results writer is closed");
    await this.conn.run(`UPDATE runs SET start_lag_ns = ${Math.round(lagNs)} WHERE run_id = '${this.run.run_id.replace(/'/g, "''")}'`);
  }

  /** Makes appended rows durable (visible to other readers after the WAL is written). */
  flush(): void {
    if (this.closed || this.failed || this.pending === 0) return;
    try {
      this.requestRows.flush();
      this.chunkRows.flush();
      this.requests.flushSync();
      this.chunks.flushSync();
      this.pending = 0;
    } catch (e) {
      this.fail(e);
    }
  }

  /**
   * DuckDB refused rows (disk full, I/O error): said once; later rows are dropped, and so are those
   * handed over since the last flush that held, so the file keeps whole requests: each with its chunks.
   */
  private fail(e: unknown): void {
    this.failed = true;
    for (const a of [this.requests, this.chunks]) {
      try {
        a.clear();
      } catch {
        // an appender DuckDB gave up on already holds nothing more to write
      }
    }
    this.opts.onError?.(e instanceof Error ? e : new Error(String(e)), this.path);
  }

  /** A flush failed: the file holds what was flushed before. */
  get hasFailed(): boolean {
    return this.failed;
  }

  /**
   * The load is over: from here DuckDB hands back to the OS what the statistics and the close's checkpoint
   * free in bulk, so their memory does not pile up. During the load it would cost ingest time.
   */
  async loadEnded(): Promise<void> {
    await this.conn.run(`SET allocator_bulk_deallocation_flush_threshold = '${END_BULK_FLUSH_THRESHOLD}'`);
  }

  async close(ended_ns: number): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    // Closing writes what an appender still holds: refused, it is a failed flush, and the run's end is still stored.
    for (const a of [this.requests, this.chunks]) {
      try {
        a.closeSync();
      } catch (e) {
        if (!this.failed) this.fail(e);
      }
    }
    await this.conn.run(`UPDATE runs SET ended_ns = ${Math.round(ended_ns)} WHERE run_id = '${this.run.run_id.replace(/'/g, "''")}'`);
    await this.conn.run("CHECKPOINT");
    this.conn.closeSync();
    this.instance.closeSync();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("results writer is closed");
  }
}
