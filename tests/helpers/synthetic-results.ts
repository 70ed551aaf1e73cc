// A results.duckdb with the real tables (schema from src/store/schema.ts) filled by SQL with
// deterministic pseudo-random requests: seconds for a million rows, for plot tests and the plot bench.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { createTableSql } from "../../src/store/columns.ts";
import { GPU_TELEMETRY_COLUMNS } from "../../src/store/gpu-telemetry-db.ts";
import { REQUEST_COLUMNS, RUN_COLUMNS } from "../../src/store/schema.ts";
import { SERVER_METRIC_COLUMNS } from "../../src/store/server-metrics-db.ts";

export interface SyntheticRun {
  requests: number;
  concurrency?: number;
  /** Config keys to store in runs.config besides the defaults (requestRate, isl, gpus, goodput, ...). */
  config?: Record<string, unknown>;
  ttftMs?: number;
  itlMs?: number;
  isl?: number;
  osl?: number;
  /** Every n-th request fails (0: none). */
  failEvery?: number;
  /** Requests of the warmup phase before the profiling ones. */
  warmup?: number;
  /** Adds server_metrics (vLLM gauges and a TTFT histogram) and gpu_telemetry (2 GPUs) scraped every 0.25 s. */
  serverSide?: boolean;
  seed?: number;
  runId?: string;
}

/** A message a hostile server might send: the report must show it as text. */
export const HOSTILE_MESSAGE = `upstream said <script>document.title="pwned"</script><img src="http://127.0.0.1:1/x.png" onerror="alert(1)"> & 'quotes'`;

/** Writes <dir>/results.duckdb; returns its path. */
export async function writeSyntheticRun(dir: string, o: SyntheticRun): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "results.duckdb");
  const c = o.concurrency ?? 8;
  const ttft = o.ttftMs ?? 40;
  const itl = o.itlMs ?? 8;
  const isl = o.isl ?? 512;
  const osl = o.osl ?? 64;
  const seed = o.seed ?? 1;
  const runId = o.runId ?? `synthetic-${seed}`;
  const meanLatencyNs = (ttft + itl * (osl - 1)) * 1e6;
  const gapNs = Math.max(1, Math.round(meanLatencyNs / c));
  const t0 = 1.7e18;
  const config = { model: "synthetic-model", urls: ["http://127.0.0.1:8000/v1/chat/completions"], streaming: true, concurrency: c, isl, osl, ...o.config };
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  try {
    await conn.run(createTableSql("runs", RUN_COLUMNS));
    await conn.run(createTableSql("requests", REQUEST_COLUMNS));
    const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
    // By name: the runs table may carry more columns (a sweep's load values); they stay NULL here.
    await conn.run(
      `INSERT INTO runs BY NAME SELECT ${lit(runId)} AS run_id, 'synthetic' AS tool_version, 'localhost' AS host, ${lit(JSON.stringify(config))} AS config,
        ${t0} AS started_ns, ${t0 + (o.requests + (o.warmup ?? 0)) * gapNs + meanLatencyNs * 3} AS ended_ns`,
    );
    const u = (k: number) => `((hash(i, ${seed * 7919 + k}) % 1000003)::DOUBLE / 1000003)`;
    const fail = o.failEvery ? `(i % ${o.failEvery} = ${o.failEvery - 1})` : "false";
    await conn.run(`INSERT INTO requests BY NAME
      WITH base AS (
        SELECT i, ${fail} AS bad,
          ${ttft} * (0.7 + 0.6 * ${u(1)}) + CASE WHEN ${u(2)} > 0.99 THEN ${ttft * 3} ELSE 0 END AS ttft,
          ${itl} * (0.8 + 0.4 * ${u(3)}) AS itl,
          greatest(2, round(${osl} * (0.8 + 0.4 * ${u(4)})))::INTEGER AS osl,
          greatest(1, round(${isl} * (0.9 + 0.2 * ${u(5)})))::INTEGER AS isl,
          ${t0}::BIGINT + (i * ${gapNs})::BIGINT AS start_ns
        FROM range(${o.requests + (o.warmup ?? 0)}) t(i))
      SELECT ${lit(runId)} AS run_id, i::INTEGER AS request_index, 'req-' || i AS x_request_id, i::INTEGER AS session_num,
        CASE WHEN i < ${o.warmup ?? 0} THEN 'warmup' ELSE 'profiling' END AS phase,
        'http://127.0.0.1:8000/v1/chat/completions' AS url, 'synthetic-model' AS model,
        start_ns AS scheduled_ns, start_ns,
        start_ns + (ttft * 1e6)::BIGINT AS first_token_ns,
        start_ns + CASE WHEN bad THEN (ttft * 1e6)::BIGINT ELSE ((ttft + itl * (osl - 1)) * 1e6)::BIGINT END AS end_ns,
        CASE WHEN bad THEN 500 ELSE 200 END AS http_status, false AS cancelled,
        CASE WHEN bad AND (i // ${o.failEvery ?? 1}) % 3 <> 0 THEN 500 END AS error_code,
        CASE WHEN bad THEN CASE WHEN (i // ${o.failEvery ?? 1}) % 3 = 0 THEN 'ConnectionError' ELSE 'ServerError' END END AS error_type,
        CASE WHEN bad THEN ${lit(HOSTILE_MESSAGE)} END AS error_message,
        isl AS input_tokens, ${osl} AS requested_output_tokens, CASE WHEN bad THEN 0 ELSE osl END AS output_tokens,
        CASE WHEN bad THEN NULL ELSE ttft END AS time_to_first_token,
        CASE WHEN bad THEN NULL ELSE ttft + itl * (osl - 1) END AS request_latency,
        CASE WHEN bad THEN NULL ELSE itl END AS inter_token_latency,
        CASE WHEN bad THEN NULL ELSE 1000.0 / itl END AS output_token_throughput_per_user,
        CASE WHEN bad THEN NULL ELSE osl END AS output_sequence_length
      FROM base`);
    if (o.serverSide) {
      const spanS = Math.ceil(((o.requests + (o.warmup ?? 0)) * gapNs + meanLatencyNs) / 1e9) + 1;
      const scrapes = `range(${spanS * 4}) r(k), LATERAL (SELECT ${t0}::BIGINT + k * 250000000 AS time_ns, k / 4.0 AS s)`;
      await conn.run(createTableSql("server_metrics", SERVER_METRIC_COLUMNS));
      await conn.run(`INSERT INTO server_metrics BY NAME
        SELECT ${lit(runId)} AS run_id, time_ns, 'profiling' AS phase, 'http://127.0.0.1:8000/metrics' AS url, m AS metric, m AS family, 'gauge' AS type,
          '{"model_name":"synthetic-model"}' AS labels, NULL AS le,
          CASE m WHEN 'vllm:num_requests_running' THEN ${c} WHEN 'vllm:num_requests_waiting' THEN 4 + 4 * sin(s / 2) ELSE 0.5 + 0.4 * sin(s / 5) END AS value
        FROM ${scrapes}, (VALUES ('vllm:num_requests_running'), ('vllm:num_requests_waiting'), ('vllm:kv_cache_usage_perc')) mm(m)`);
      // TTFT histogram: 2 observations per scrape, both in the (0.025, 0.05] bucket.
      await conn.run(`INSERT INTO server_metrics BY NAME
        SELECT ${lit(runId)} AS run_id, time_ns, 'profiling' AS phase, 'http://127.0.0.1:8000/metrics' AS url, 'vllm:time_to_first_token_seconds' || sfx AS metric,
          'vllm:time_to_first_token_seconds' AS family, 'histogram' AS type, '{"model_name":"synthetic-model"}' AS labels, le,
          CASE WHEN sfx = '_sum' THEN 0.04 * 2 * k WHEN le = '0.025' THEN 0 ELSE 2 * k END AS value
        FROM ${scrapes}, (VALUES ('_bucket', '0.025'), ('_bucket', '0.05'), ('_bucket', '+Inf'), ('_sum', NULL), ('_count', NULL)) b(sfx, le)`);
      await conn.run(createTableSql("gpu_telemetry", GPU_TELEMETRY_COLUMNS));
      await conn.run(`INSERT INTO gpu_telemetry BY NAME
        SELECT ${lit(runId)} AS run_id, time_ns, 'profiling' AS phase, 'http://localhost:9400/metrics' AS source, 'gpu-host' AS host, g AS gpu_index,
          'GPU-' || g AS uuid, 'Synthetic GPU' AS name, m AS metric,
          CASE m WHEN 'DCGM_FI_DEV_POWER_USAGE' THEN 300 + 50 * g ELSE 60 + 30 * sin(s / 3.0 + g) END AS value
        FROM ${scrapes}, range(2) gg(g), (VALUES ('DCGM_FI_DEV_POWER_USAGE'), ('DCGM_FI_DEV_GPU_UTIL')) mm(m)`);
    }
    await conn.run("CHECKPOINT");
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return path;
}
