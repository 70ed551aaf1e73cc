// GPU telemetry in results.duckdb: `gpu_telemetry` holds one row per GPU, metric and reading (DCGM
// field names, from a DCGM exporter or nvidia-smi); scrape attempts of DCGM endpoints go to
// `metric_scrapes` (source 'gpu'). Per-GPU statistics and energy over the profiling window in SQL.
import type { DuckDBAppender, DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { ENERGY, type GpuEnergy, type GpuMetricStats, type GpuReading, POWER } from "../metrics/gpu-telemetry.ts";
import { AppenderSet } from "./appender-set.ts";
import { appendRow, type Column, createTableSql } from "./columns.ts";
import { SCRAPE_COLUMNS, type ScrapePhase, type ScrapeRow } from "./server-metrics-db.ts";
import { cellNumberOrNull, sqlString } from "./sql-text.ts";

export interface GpuTelemetryRow {
  run_id: string;
  time_ns: number;
  phase: ScrapePhase;
  /** The DCGM exporter's URL, or "nvidia-smi". */
  source: string;
  r: GpuReading;
}

export const GPU_TELEMETRY_COLUMNS: Column<GpuTelemetryRow>[] = [
  { name: "run_id", type: "VARCHAR", get: (x) => x.run_id },
  { name: "time_ns", type: "BIGINT", get: (x) => x.time_ns },
  { name: "phase", type: "VARCHAR", get: (x) => x.phase },
  { name: "source", type: "VARCHAR", get: (x) => x.source },
  { name: "host", type: "VARCHAR", get: (x) => x.r.host },
  { name: "gpu_index", type: "INTEGER", get: (x) => x.r.gpu_index },
  { name: "uuid", type: "VARCHAR", get: (x) => x.r.uuid },
  { name: "name", type: "VARCHAR", get: (x) => x.r.name },
  { name: "metric", type: "VARCHAR", get: (x) => x.r.metric },
  { name: "value", type: "DOUBLE", get: (x) => x.r.value },
];

export class GpuTelemetryStore {
  private readonly out: AppenderSet;

  private constructor(
    private readonly runId: string,
    readonly connection: DuckDBConnection,
    private readonly rows: DuckDBAppender,
    private readonly scrapes: DuckDBAppender,
  ) {
    this.out = new AppenderSet([rows, scrapes]);
  }

  /** A write failed (disk full): told once; later readings are dropped. */
  set onError(f: (e: Error) => void) {
    this.out.onError = f;
  }

  static async create(conn: DuckDBConnection, runId: string): Promise<GpuTelemetryStore> {
    await conn.run(createTableSql("gpu_telemetry", GPU_TELEMETRY_COLUMNS));
    await conn.run(createTableSql("metric_scrapes", SCRAPE_COLUMNS));
    return new GpuTelemetryStore(runId, conn, await conn.createAppender("gpu_telemetry"), await conn.createAppender("metric_scrapes"));
  }

  /** Readings taken at one instant; `scrape` when they came from an HTTP endpoint (recorded even when it failed). */
  add(time_ns: number, phase: ScrapePhase, source: string, readings: readonly GpuReading[], scrape?: Omit<ScrapeRow, "run_id">): void {
    this.out.write(() => {
      if (scrape !== undefined) appendRow(this.scrapes, SCRAPE_COLUMNS, { ...scrape, run_id: this.runId });
      const row: GpuTelemetryRow = { run_id: this.runId, time_ns, phase, source, r: readings[0]! };
      for (const r of readings) {
        row.r = r;
        appendRow(this.rows, GPU_TELEMETRY_COLUMNS, row);
      }
    });
  }

  flush(): void {
    this.out.flush();
  }

  close(): void {
    this.out.close();
  }
}

const num = (v: DuckDBValue | undefined): number | null => (v === undefined ? null : cellNumberOrNull(v));

/**
 * Per GPU and source: the energy counter's increase over the window (reference = last reading before
 * it), and power integrated over the same readings (trapezoids, the reference to the last window reading).
 */
export async function gpuEnergyDb(conn: DuckDBConnection, runId: string): Promise<GpuEnergy[]> {
  const reader = await conn.runAndReadAll(
    `WITH t AS (SELECT * FROM gpu_telemetry WHERE run_id = ${sqlString(runId)}),
     e AS (
       SELECT source, host, uuid, any_value(gpu_index) AS gpu_index, any_value(name) AS name,
         arg_max(value, time_ns) FILTER (WHERE phase = 'profiling') - coalesce(arg_max(value, time_ns) FILTER (WHERE phase <> 'profiling'), arg_min(value, time_ns) FILTER (WHERE phase = 'profiling')) AS delta_mj,
         max(time_ns) FILTER (WHERE phase = 'profiling') - coalesce(max(time_ns) FILTER (WHERE phase <> 'profiling'), min(time_ns) FILTER (WHERE phase = 'profiling')) AS span_ns
       FROM t WHERE metric = ${sqlString(ENERGY)} GROUP BY source, host, uuid),
     p0 AS (
       SELECT source, host, uuid, gpu_index, name, phase, time_ns, value,
         lag(value) OVER w AS prev_value, lag(time_ns) OVER w AS prev_ns
       FROM t WHERE metric = ${sqlString(POWER)}
       WINDOW w AS (PARTITION BY source, host, uuid ORDER BY time_ns)),
     p AS (
       SELECT source, host, uuid, any_value(gpu_index) AS gpu_index, any_value(name) AS name,
         sum((value + prev_value) / 2 * (time_ns - prev_ns) / 1e9) FILTER (WHERE phase = 'profiling' AND prev_ns IS NOT NULL) AS power_j,
         max(time_ns) FILTER (WHERE phase = 'profiling') - min(prev_ns) FILTER (WHERE phase = 'profiling') AS span_ns
       FROM p0 GROUP BY source, host, uuid)
     SELECT coalesce(e.source, p.source), coalesce(e.host, p.host), coalesce(e.uuid, p.uuid), coalesce(e.gpu_index, p.gpu_index), coalesce(e.name, p.name),
       e.delta_mj::DOUBLE, e.span_ns::DOUBLE, p.power_j::DOUBLE, p.span_ns::DOUBLE
     FROM e FULL OUTER JOIN p ON e.source = p.source AND e.host = p.host AND e.uuid = p.uuid`,
  );
  const out: GpuEnergy[] = [];
  for (const r of reader.getRows()) {
    const base = { source: String(r[0]), host: String(r[1]), uuid: String(r[2]), gpu_index: num(r[3]), name: r[4] == null ? "" : String(r[4]) };
    const deltaMj = num(r[5]);
    const powerJ = num(r[7]);
    if (deltaMj !== null && deltaMj >= 0) out.push({ ...base, energy_j: deltaMj / 1000, method: "counter", span_ns: num(r[6]) ?? 0 });
    else if (powerJ !== null) out.push({ ...base, energy_j: powerJ, method: "power", span_ns: num(r[8]) ?? 0 });
  }
  return out;
}

/** Per GPU and metric: statistics of the profiling-window readings (as AIPerf's GPU table). */
export async function gpuMetricStatsDb(conn: DuckDBConnection, runId: string): Promise<GpuMetricStats[]> {
  const reader = await conn.runAndReadAll(
    `SELECT source, host, uuid, any_value(gpu_index), any_value(name), metric,
       avg(value), min(value), max(value), coalesce(stddev_samp(value), 0), quantile_cont(value, 0.5), quantile_cont(value, 0.9), quantile_cont(value, 0.99)
     FROM gpu_telemetry WHERE run_id = ${sqlString(runId)} AND phase = 'profiling' AND value IS NOT NULL
     GROUP BY source, host, uuid, metric ORDER BY host, source, any_value(gpu_index), uuid, metric`,
  );
  return reader.getRows().map((r) => ({
    source: String(r[0]),
    host: String(r[1]),
    uuid: String(r[2]),
    gpu_index: num(r[3]),
    name: r[4] == null ? "" : String(r[4]),
    metric: String(r[5]),
    stats: {
      avg: num(r[6]) ?? 0,
      min: num(r[7]) ?? 0,
      max: num(r[8]) ?? 0,
      std: num(r[9]) ?? 0,
      p50: num(r[10]) ?? 0,
      p90: num(r[11]) ?? 0,
      p99: num(r[12]) ?? 0,
    },
  }));
}

/** Per --slice-duration bucket: the GPUs' power summed (each GPU's mean over the slice), one source per GPU. */
export async function gpuPowerSlicesDb(conn: DuckDBConnection, runId: string, sliceNs: number): Promise<{ bucket: number; powerW: number; gpus: number }[]> {
  const reader = await conn.runAndReadAll(
    `WITH g AS (
       SELECT floor(time_ns::DOUBLE / ${sliceNs}::DOUBLE) AS b, host, uuid,
         -- an exporter's reading before nvidia-smi's for the same GPU
         arg_min(source, CASE WHEN source = 'nvidia-smi' THEN 1 ELSE 0 END) AS src
       FROM gpu_telemetry WHERE run_id = ${sqlString(runId)} AND phase = 'profiling' AND metric = ${sqlString(POWER)} GROUP BY ALL),
     p AS (
       SELECT g.b, g.host, g.uuid, avg(t.value) AS w
       FROM g JOIN gpu_telemetry t ON t.run_id = ${sqlString(runId)} AND t.phase = 'profiling' AND t.metric = ${sqlString(POWER)}
         AND t.host = g.host AND t.uuid = g.uuid AND t.source = g.src AND floor(t.time_ns::DOUBLE / ${sliceNs}::DOUBLE) = g.b
       GROUP BY ALL)
     SELECT b, sum(w), count(*)::DOUBLE FROM p GROUP BY b ORDER BY b`,
  );
  return reader.getRows().map((r) => ({ bucket: num(r[0]) ?? 0, powerW: num(r[1]) ?? 0, gpus: num(r[2]) ?? 0 }));
}
