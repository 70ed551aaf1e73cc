// Tables of results.duckdb. Every table carries run_id so several runs can be combined.
import type { Column } from "./columns.ts";
import { CHUNK_METRIC_COLUMNS, REQUEST_METRIC_COLUMNS, chunkCell, requestCell } from "./metric-columns.ts";
import type { ChunkTiming, RequestRecord } from "../record/request-record.ts";
import type { RecordValues } from "../metrics/record-values.ts";
import type { SliceHistogram } from "../metrics/slice-histograms.ts";

export interface RunRow {
  run_id: string;
  tool_version: string;
  host: string;
  /** Config as JSON, secrets redacted. */
  config: string;
  started_ns: number;
  ended_ns: number | null;
  /** The run's load, as columns so a sweep groups by them in SQL (see run/run-load-columns.ts). */
  load?: RunLoadColumns;
  /** With --start-at: how late the load started (0 when on time), else null. Set once it starts. */
  start_lag_ns?: number | null;
}

/** Each sweepable flag's value in the run, and the run's place in a sweep (null outside one). */
export interface RunLoadColumns {
  concurrency: number | null;
  request_rate: number | null;
  isl: number | null;
  osl: number | null;
  request_count: number | null;
  benchmark_duration: number | null;
  num_dataset_entries: number | null;
  sweep_id: string | null;
  /** 1-based, in the sweep's order (a search's probe number). */
  sweep_point: number | null;
  /** 1-based run of --num-profile-runs. */
  repeat_index: number | null;
}

const load = <K extends keyof RunLoadColumns>(name: K, type: Column<RunRow>["type"]): Column<RunRow> => ({ name, type, get: (r) => r.load?.[name] ?? null });

export const RUN_COLUMNS: Column<RunRow>[] = [
  { name: "run_id", type: "VARCHAR", get: (r) => r.run_id },
  { name: "tool_version", type: "VARCHAR", get: (r) => r.tool_version },
  { name: "host", type: "VARCHAR", get: (r) => r.host },
  { name: "config", type: "JSON", get: (r) => r.config },
  { name: "started_ns", type: "BIGINT", get: (r) => r.started_ns },
  { name: "ended_ns", type: "BIGINT", get: (r) => r.ended_ns },
  load("concurrency", "INTEGER"),
  load("request_rate", "DOUBLE"),
  load("isl", "INTEGER"),
  load("osl", "INTEGER"),
  load("request_count", "INTEGER"),
  load("benchmark_duration", "DOUBLE"),
  load("num_dataset_entries", "INTEGER"),
  load("sweep_id", "VARCHAR"),
  load("sweep_point", "INTEGER"),
  load("repeat_index", "INTEGER"),
  { name: "start_lag_ns", type: "BIGINT", get: (r) => r.start_lag_ns ?? null },
];

export interface RequestRow {
  run_id: string;
  /** Order in which the run stored the request (0-based); its chunks carry it too (the join key). */
  seq: number;
  record: RequestRecord;
  /** recordValues(record, opts), computed once by the caller. */
  values: RecordValues;
}

const rec = <K extends keyof RequestRecord>(name: K, type: Column<RequestRow>["type"]): Column<RequestRow> => ({
  name,
  type,
  get: (r) => r.record[name] as string | number | boolean | null,
});

export const REQUEST_COLUMNS: Column<RequestRow>[] = [
  { name: "run_id", type: "VARCHAR", get: (r) => r.run_id },
  { name: "seq", type: "INTEGER", get: (r) => r.seq },
  rec("request_index", "INTEGER"),
  rec("x_request_id", "VARCHAR"),
  { name: "x_correlation_id", type: "VARCHAR", get: (r) => r.record.x_correlation_id ?? null },
  rec("session_num", "INTEGER"),
  rec("conversation_id", "VARCHAR"),
  rec("turn_index", "INTEGER"),
  rec("worker_id", "INTEGER"),
  rec("phase", "VARCHAR"),
  rec("url", "VARCHAR"),
  rec("model", "VARCHAR"),
  rec("scheduled_ns", "BIGINT"),
  rec("queue_ns", "BIGINT"),
  rec("start_ns", "BIGINT"),
  rec("ack_ns", "BIGINT"),
  rec("first_token_ns", "BIGINT"),
  rec("first_output_token_ns", "BIGINT"),
  rec("last_token_ns", "BIGINT"),
  rec("end_ns", "BIGINT"),
  rec("http_status", "INTEGER"),
  rec("cancelled", "BOOLEAN"),
  { name: "error_code", type: "INTEGER", get: (r) => r.record.error?.code ?? null },
  { name: "error_type", type: "VARCHAR", get: (r) => r.record.error?.type ?? null },
  { name: "error_message", type: "VARCHAR", get: (r) => r.record.error?.message ?? null },
  rec("input_tokens", "INTEGER"),
  rec("requested_output_tokens", "INTEGER"),
  rec("output_tokens", "INTEGER"),
  rec("reasoning_tokens", "INTEGER"),
  { name: "chunk_count", type: "INTEGER", get: (r) => r.record.chunks.length },
  // The server's usage_* counts are metric columns of the same name (their values for successful requests).
  ...REQUEST_METRIC_COLUMNS.map((m): Column<RequestRow> => ({ name: m.tag, type: m.type, get: (r) => requestCell(m, r.values) })),
];

export interface ChunkRow {
  run_id: string;
  /** The request's seq. */
  seq: number;
  chunk_index: number;
  chunk: ChunkTiming;
  /** The request's recordValues. */
  values: RecordValues;
}

// A chunk names its request by (run_id, seq) alone. Its x_request_id too (a 36-char UUID, longer than
// the 12 bytes DuckDB inlines) cost 11-19% of the storing thread's CPU per 20-chunk record (medians
// 84.5 / 123 vs 74.9 / 100 us) and 28% of the file (50.8 vs 36.8 MiB for 200,000 records).
export const CHUNK_COLUMNS: Column<ChunkRow>[] = [
  { name: "run_id", type: "VARCHAR", get: (r) => r.run_id },
  { name: "seq", type: "INTEGER", get: (r) => r.seq },
  { name: "chunk_index", type: "INTEGER", get: (r) => r.chunk_index },
  { name: "arrival_ns", type: "BIGINT", get: (r) => r.chunk.arrival_ns },
  { name: "tokens", type: "INTEGER", get: (r) => r.chunk.tokens },
  { name: "bytes", type: "INTEGER", get: (r) => r.chunk.bytes },
  // inter_chunk_latency (ms): the gap from the previous chunk, as the request's metric list has it.
  ...CHUNK_METRIC_COLUMNS.map((m): Column<ChunkRow> => ({ name: m.tag, type: m.type, get: (r) => chunkCell(m, r.values, r.chunk_index) })),
];

export interface SliceRow {
  run_id: string;
  h: SliceHistogram;
}

/** One row per time slice and per-request metric: HDR statistics and the encoded, mergeable histogram. */
export const SLICE_COLUMNS: Column<SliceRow>[] = [
  { name: "run_id", type: "VARCHAR", get: (r) => r.run_id },
  { name: "slice_index", type: "INTEGER", get: (r) => r.h.sliceIndex },
  { name: "slice_start_ns", type: "BIGINT", get: (r) => r.h.sliceStartNs },
  { name: "slice_end_ns", type: "BIGINT", get: (r) => r.h.sliceEndNs },
  { name: "metric", type: "VARCHAR", get: (r) => r.h.tag },
  { name: "unit", type: "VARCHAR", get: (r) => r.h.unit },
  { name: "scale", type: "DOUBLE", get: (r) => r.h.scale },
  { name: "count", type: "BIGINT", get: (r) => r.h.count },
  { name: "min", type: "DOUBLE", get: (r) => r.h.min },
  { name: "max", type: "DOUBLE", get: (r) => r.h.max },
  { name: "mean", type: "DOUBLE", get: (r) => r.h.mean },
  { name: "p50", type: "DOUBLE", get: (r) => r.h.p50 },
  { name: "p90", type: "DOUBLE", get: (r) => r.h.p90 },
  { name: "p95", type: "DOUBLE", get: (r) => r.h.p95 },
  { name: "p99", type: "DOUBLE", get: (r) => r.h.p99 },
  { name: "hdr", type: "VARCHAR", get: (r) => r.h.encoded },
];
