// Reads a run's requests (with their chunks) back out of results.duckdb as RequestRecords, in the
// order they were stored (arrival order), so the summary and exports are computed from the file
// itself and the run keeps no record list in memory while it goes.
import type { DuckDBConnection } from "@duckdb/node-api";
import type { ChunkTiming, RequestRecord } from "../../src/record/request-record.ts";

const num = (v: unknown): number => (typeof v === "bigint" ? Number(v) : (v as number));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

const REQUEST_FIELDS = [
  "x_request_id",
  "request_index",
  "session_num",
  "conversation_id",
  "turn_index",
  "worker_id",
  "phase",
  "url",
  "model",
  "scheduled_ns",
  "queue_ns",
  "start_ns",
  "ack_ns",
  "first_token_ns",
  "first_output_token_ns",
  "last_token_ns",
  "end_ns",
  "http_status",
  "cancelled",
  "error_code",
  "error_type",
  "error_message",
  "input_tokens",
  "requested_output_tokens",
  "output_tokens",
  "reasoning_tokens",
  "usage_prompt_tokens",
  "usage_completion_tokens",
  "usage_total_tokens",
  "usage_reasoning_tokens",
] as const;

/** Streams a query's rows a DuckDB chunk at a time, so the whole result is never held twice. */
async function forEachRow(conn: DuckDBConnection, sql: string, fn: (row: unknown[]) => void): Promise<void> {
  const result = await conn.stream(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) return;
    for (const row of chunk.getRows()) fn(row);
  }
}

export async function readRecords(conn: DuckDBConnection, runId: string): Promise<RequestRecord[]> {
  const id = `'${runId.replace(/'/g, "''")}'`;
  const chunks = new Map<string, ChunkTiming[]>();
  await forEachRow(
    conn,
    `SELECT r.x_request_id, c.arrival_ns, c.tokens, c.bytes FROM chunks c JOIN requests r USING (run_id, seq) WHERE c.run_id = ${id} ORDER BY c.rowid`,
    ([rid, arrival, tokens, bytes]) => {
      const key = String(rid);
      const list = chunks.get(key);
      const c = { arrival_ns: num(arrival), tokens: num(tokens), bytes: num(bytes) };
      if (list) list.push(c);
      else chunks.set(key, [c]);
    },
  );
  const records: RequestRecord[] = [];
  await forEachRow(conn, `SELECT ${REQUEST_FIELDS.map((f) => `"${f}"`).join(", ")} FROM requests WHERE run_id = ${id} ORDER BY rowid`, (row) =>
    records.push(toRecord(row, chunks)),
  );
  return records;
}

function toRecord(row: unknown[], chunks: ReadonlyMap<string, ChunkTiming[]>): RequestRecord {
  const v = Object.fromEntries(REQUEST_FIELDS.map((f, i) => [f, row[i]])) as Record<(typeof REQUEST_FIELDS)[number], unknown>;
  const x_request_id = String(v.x_request_id);
  return {
    x_request_id,
    request_index: num(v.request_index),
    session_num: num(v.session_num),
    conversation_id: String(v.conversation_id ?? ""),
    turn_index: num(v.turn_index),
    worker_id: num(v.worker_id),
    phase: v.phase === "warmup" ? "warmup" : "profiling",
    url: String(v.url),
    model: String(v.model),
    scheduled_ns: num(v.scheduled_ns),
    queue_ns: num(v.queue_ns ?? 0),
    start_ns: num(v.start_ns),
    ack_ns: num(v.ack_ns),
    first_token_ns: num(v.first_token_ns),
    first_output_token_ns: num(v.first_output_token_ns),
    last_token_ns: num(v.last_token_ns),
    end_ns: num(v.end_ns),
    http_status: num(v.http_status),
    cancelled: Boolean(v.cancelled),
    error: v.error_type === null ? null : { code: num(v.error_code ?? 0), type: String(v.error_type), message: String(v.error_message ?? "") },
    input_tokens: num(v.input_tokens),
    requested_output_tokens: numOrNull(v.requested_output_tokens),
    output_tokens: num(v.output_tokens),
    reasoning_tokens: num(v.reasoning_tokens),
    usage_prompt_tokens: numOrNull(v.usage_prompt_tokens),
    usage_completion_tokens: numOrNull(v.usage_completion_tokens),
    usage_total_tokens: numOrNull(v.usage_total_tokens),
    usage_reasoning_tokens: numOrNull(v.usage_reasoning_tokens),
    chunks: chunks.get(x_request_id) ?? [],
  };
}
