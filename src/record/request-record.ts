// One flat record per request, as it leaves a worker. Integer epoch-ns timestamps (see runtime/clock.ts);
// 0 means "did not happen". Latency metrics are derived from these later, never stored twice here.

export type BenchmarkPhase = "warmup" | "profiling";

export interface ChunkTiming {
  /** Arrival time of the SSE event carrying this chunk, epoch ns. */
  arrival_ns: number;
  /** Output tokens the chunk carried (content + reasoning), counted by the client's tokenizer/estimator. */
  tokens: number;
  /** Bytes of the event's data payload. */
  bytes: number;
}

export interface RecordError {
  /** HTTP status, or a client-side code (e.g. 499 cancelled, 0 transport failure). */
  code: number;
  /** Short class name: "http_error", "timeout", "connection_error", "malformed_response", "cancelled", ... */
  type: string;
  message: string;
}

export interface RequestRecord {
  x_request_id: string;
  /**
   * Sent as the X-Correlation-ID header (or --session-header) with every turn of one session, as AIPerf
   * does: the same for all requests of a user session, different for each session. Absent in records
   * stored before it existed.
   */
  x_correlation_id?: string;
  /** Zero-based order in which requests were issued. */
  request_index: number;
  session_num: number;
  /** Dataset session (conversation) id: the input file's session_id, or generated. */
  conversation_id: string;
  turn_index: number;
  worker_id: number;
  phase: BenchmarkPhase;
  url: string;
  model: string;
  /**
   * When the schedule wanted this request sent: the arrival time (rate, fixed schedule), the end of the
   * previous turn plus its delay (multi-turn), or the moment a closed-loop lane was free.
   */
  scheduled_ns: number;
  /** Time spent waiting for a --concurrency or --prefill-concurrency slot after scheduled_ns, ns. */
  queue_ns: number;
  /** Just before the request was handed to the transport. */
  start_ns: number;
  /** Response headers received. */
  ack_ns: number;
  /** First chunk carrying any output token (content or reasoning): AIPerf's TTFT point. */
  first_token_ns: number;
  /** First chunk carrying non-reasoning content: AIPerf's time_to_first_output_token point. */
  first_output_token_ns: number;
  /** Last chunk carrying an output token. */
  last_token_ns: number;
  /** Response fully read, or failure/cancel time. */
  end_ns: number;
  http_status: number;
  cancelled: boolean;
  error: RecordError | null;
  /** Input tokens as the client built/counted them. */
  input_tokens: number;
  /** Output token limit sent with the request (max_completion_tokens / max_tokens), or null. */
  requested_output_tokens: number | null;
  /** Output tokens counted by the client over the whole streamed text (content only / reasoning only). */
  output_tokens: number;
  reasoning_tokens: number;
  /** Token counts the server reported in `usage`, or null when absent. */
  usage_prompt_tokens: number | null;
  usage_completion_tokens: number | null;
  usage_total_tokens: number | null;
  usage_reasoning_tokens: number | null;
  chunks: ChunkTiming[];
  /** The HTTP exchange as the transport saw it; absent when no request went out (or records from older files). */
  http?: HttpTiming;
}

/**
 * k6/HAR phase stamps of one HTTP exchange, epoch ns like the rest of the record. 0 = the event did
 * not happen (no pool wait, no body byte); null = this transport cannot see it (fetch: see
 * client/fetch-transport.ts). The phases (http_req_blocked, ...) are derived in metrics/http-phases.ts.
 */
export interface HttpTiming {
  /** Which transport measured it (trace_data.trace_type). */
  transport: "http1" | "fetch";
  /** The request started waiting for a connection because the per-origin limit was reached (0: no wait). */
  pool_wait_start_ns: number | null;
  /** It got one (a freed connection, or a slot to open a new one). */
  pool_wait_end_ns: number | null;
  /** Connection opening (TCP connect, DNS and TLS handshake included); 0 when the connection was reused. */
  connect_start_ns: number | null;
  connect_end_ns: number | null;
  /** First request byte handed to the socket. */
  send_start_ns: number | null;
  /** Last request byte handed to the socket. */
  send_end_ns: number | null;
  /** The socket read that brought the first response body byte (the head's, for a response without a body). */
  first_byte_ns: number;
  /** The last socket read of the response (the one that completed it). */
  last_byte_ns: number;
  /** Bytes of the request on the wire (head + body). */
  bytes_sent: number | null;
  /** Bytes of the response on the wire (head, framing and body). */
  bytes_received: number | null;
  /** Socket writes of the request / reads of the response. */
  writes: number | null;
  reads: number | null;
  /** The exchange ran on a connection that had served a request before (or was opened ahead of time). */
  reused: boolean | null;
}

/** The HTTP timing fetch can report: the first and last body reads; the rest it cannot see (null). */
export function fetchTiming(first_byte_ns: number, last_byte_ns: number): HttpTiming {
  return {
    transport: "fetch",
    pool_wait_start_ns: null,
    pool_wait_end_ns: null,
    connect_start_ns: null,
    connect_end_ns: null,
    send_start_ns: null,
    send_end_ns: null,
    first_byte_ns,
    last_byte_ns,
    bytes_sent: null,
    bytes_received: null,
    writes: null,
    reads: null,
    reused: null,
  };
}

/** What the schedule gives a request's record before it is sent. */
export type RecordIdentity = Pick<
  RequestRecord,
  | "request_index"
  | "x_correlation_id"
  | "session_num"
  | "conversation_id"
  | "turn_index"
  | "worker_id"
  | "phase"
  | "model"
  | "scheduled_ns"
  | "queue_ns"
  | "input_tokens"
  | "requested_output_tokens"
>;

/** The record a request starts from: its identity, url and id; every outcome field zero, null or empty. */
export function emptyRecord(id: RecordIdentity, url: string, requestId: string): RequestRecord {
  return {
    ...id,
    x_request_id: requestId,
    url,
    start_ns: 0,
    ack_ns: 0,
    first_token_ns: 0,
    first_output_token_ns: 0,
    last_token_ns: 0,
    end_ns: 0,
    http_status: 0,
    cancelled: false,
    error: null,
    output_tokens: 0,
    reasoning_tokens: 0,
    usage_prompt_tokens: null,
    usage_completion_tokens: null,
    usage_total_tokens: null,
    usage_reasoning_tokens: null,
    chunks: [],
  };
}
