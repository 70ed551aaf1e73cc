// Prometheus scrapes in results.duckdb: `server_metrics` holds every sample of every scrape (one row
// each, as exposed), `metric_scrapes` one row per scrape attempt (failed ones too), and
// `server_metric_families` each family's type and HELP text once per endpoint. The window statistics
// are computed here in SQL; what they mean (deltas, rates, percentiles) is metrics/server-metrics-summary.ts.
import type { DuckDBAppender, DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import type { PromSample, PromType } from "../metrics/prometheus-parse.ts";
import { GAUGE_QUANTILES, type ScrapeStats, type SeriesWindow } from "../metrics/server-metrics-summary.ts";
import { AppenderSet } from "./appender-set.ts";
import { appendRow, type Column, createTableSql } from "./columns.ts";
import { cellNumberOrNull, sqlString } from "./sql-text.ts";

/** The phase a scrape was taken in: before the first phase, warmup, profiling (which the final scrape closes). */
export type ScrapePhase = "baseline" | "warmup" | "profiling";

export interface ServerMetricRow {
  run_id: string;
  time_ns: number;
  phase: ScrapePhase;
  url: string;
  sample: PromSample;
  /** The sample's labels as a JSON object, without `le` (histogram buckets) or `quantile` (summaries). */
  labels: string;
  /** The bucket's `le` or the summary's `quantile`, else null. */
  le: string | null;
}

export const SERVER_METRIC_COLUMNS: Column<ServerMetricRow>[] = [
  { name: "run_id", type: "VARCHAR", get: (r) => r.run_id },
  { name: "time_ns", type: "BIGINT", get: (r) => r.time_ns },
  { name: "phase", type: "VARCHAR", get: (r) => r.phase },
  { name: "url", type: "VARCHAR", get: (r) => r.url },
  { name: "metric", type: "VARCHAR", get: (r) => r.sample.name },
  { name: "family", type: "VARCHAR", get: (r) => r.sample.family },
  { name: "type", type: "VARCHAR", get: (r) => r.sample.type },
  { name: "labels", type: "JSON", get: (r) => r.labels },
  { name: "le", type: "VARCHAR", get: (r) => r.le },
  // NaN and +-Inf are stored as NULL (the column writer's rule); the statistics skip them.
  { name: "value", type: "DOUBLE", get: (r) => r.sample.value },
];

export interface ScrapeRow {
  run_id: string;
  time_ns: number;
  phase: ScrapePhase;
  url: string;
  /** "server" (--server-metrics) or "gpu" (--gpu-telemetry). */
  source: "server" | "gpu";
  ok: boolean;
  /** HTTP status, null when no response came (refused, timeout). */
  status: number | null;
  error: string | null;
  latency_ms: number;
  samples: number;
  bytes: number;
}

export const SCRAPE_COLUMNS: Column<ScrapeRow>[] = [
  { name: "run_id", type: "VARCHAR", get: (r) => r.run_id },
  { name: "time_ns", type: "BIGINT", get: (r) => r.time_ns },
  { name: "phase", type: "VARCHAR", get: (r) => r.phase },
  { name: "url", type: "VARCHAR", get: (r) => r.url },
  { name: "source", type: "VARCHAR", get: (r) => r.source },
  { name: "ok", type: "BOOLEAN", get: (r) => r.ok },
  { name: "status", type: "INTEGER", get: (r) => r.status },
  { name: "error", type: "VARCHAR", get: (r) => r.error },
  { name: "latency_ms", type: "DOUBLE", get: (r) => r.latency_ms },
  { name: "samples", type: "INTEGER", get: (r) => r.samples },
  { name: "bytes", type: "INTEGER", get: (r) => r.bytes },
];

export interface FamilyRow {
  run_id: string;
  url: string;
  family: string;
  type: PromType;
  help: string | null;
}

export const FAMILY_COLUMNS: Column<FamilyRow>[] = [
  { name: "run_id", type: "VARCHAR", get: (r) => r.run_id },
  { name: "url", type: "VARCHAR", get: (r) => r.url },
  { name: "family", type: "VARCHAR", get: (r) => r.family },
  { name: "type", type: "VARCHAR", get: (r) => r.type },
  { name: "help", type: "VARCHAR", get: (r) => r.help },
];

/** Appended rows become durable at least this often (and at close). */

/** `labels` JSON and the `le` cell of one sample. */
export function splitLabels(sample: PromSample): { labels: string; le: string | null } {
  const bound = sample.type === "histogram" && sample.name.endsWith("_bucket") ? "le" : sample.type === "summary" ? "quantile" : null;
  if (sample.labels.length === 0) return { labels: "{}", le: null };
  const o: Record<string, string> = {};
  let le: string | null = null;
  for (const [k, v] of sample.labels) {
    if (k === bound) le = v;
    else o[k] = v;
  }
  return { labels: JSON.stringify(o), le };
}

/** Appends scrapes to the three tables on its own connection; rows are flushed in batches. */
export class ServerMetricsStore {
  private readonly seenFamilies = new Set<string>();
  private readonly out: AppenderSet;

  private constructor(
    private readonly runId: string,
    private readonly conn: DuckDBConnection,
    private readonly samples: DuckDBAppender,
    private readonly scrapes: DuckDBAppender,
    private readonly families: DuckDBAppender,
  ) {
    this.out = new AppenderSet([samples, scrapes, families]);
  }

  /** A write failed (disk full): told once; later scrapes are dropped, earlier ones stay in the file. */
  set onError(f: (e: Error) => void) {
    this.out.onError = f;
  }

  static async create(conn: DuckDBConnection, runId: string): Promise<ServerMetricsStore> {
    await conn.run(createTableSql("server_metrics", SERVER_METRIC_COLUMNS));
    await conn.run(createTableSql("metric_scrapes", SCRAPE_COLUMNS));
    await conn.run(createTableSql("server_metric_families", FAMILY_COLUMNS));
    return new ServerMetricsStore(
      runId,
      conn,
      await conn.createAppender("server_metrics"),
      await conn.createAppender("metric_scrapes"),
      await conn.createAppender("server_metric_families"),
    );
  }

  /** One scrape attempt; `samples` empty when it failed. `help`/`types`: the scrape's HELP and TYPE lines. */
  addScrape(scrape: Omit<ScrapeRow, "run_id">, samples: readonly PromSample[], help?: ReadonlyMap<string, string>): void {
    this.out.write(() => this.append(scrape, samples, help));
  }

  private append(scrape: Omit<ScrapeRow, "run_id">, samples: readonly PromSample[], help?: ReadonlyMap<string, string>): void {
    appendRow(this.scrapes, SCRAPE_COLUMNS, { ...scrape, run_id: this.runId });
    const row: ServerMetricRow = {
      run_id: this.runId,
      time_ns: scrape.time_ns,
      phase: scrape.phase,
      url: scrape.url,
      sample: samples[0]!,
      labels: "{}",
      le: null,
    };
    for (const s of samples) {
      const { labels, le } = splitLabels(s);
      row.sample = s;
      row.labels = labels;
      row.le = le;
      appendRow(this.samples, SERVER_METRIC_COLUMNS, row);
      const key = `${scrape.url}\n${s.family}`;
      if (!this.seenFamilies.has(key)) {
        this.seenFamilies.add(key);
        appendRow(this.families, FAMILY_COLUMNS, { run_id: this.runId, url: scrape.url, family: s.family, type: s.type, help: help?.get(s.family) ?? null });
      }
    }
  }

  flush(): void {
    this.out.flush();
  }

  close(): void {
    this.out.close();
  }

  get connection(): DuckDBConnection {
    return this.conn;
  }
}

const num = (v: DuckDBValue | undefined): number | null => (v === undefined ? null : cellNumberOrNull(v));

function numList(v: DuckDBValue | undefined): number[] | null {
  if (v === null || v === undefined) return null;
  const items = (v as { items?: DuckDBValue[] }).items;
  return items === undefined ? null : items.map((x) => num(x) ?? Number.NaN);
}

/**
 * Per series (url, sample name, labels, le): statistics of the profiling-phase samples, the reference
 * (the last sample before the window) and the window's first and last samples.
 */
export async function serverMetricWindowsDb(conn: DuckDBConnection, runId: string): Promise<SeriesWindow[]> {
  const inWin = `phase = 'profiling'`;
  const before = `phase <> 'profiling'`;
  const qs = `[${GAUGE_QUANTILES.join(", ")}]`;
  const reader = await conn.runAndReadAll(
    `SELECT url, metric, family, type, labels::VARCHAR AS labels_text, le,
       count(value) FILTER (WHERE ${inWin})::DOUBLE,
       avg(value) FILTER (WHERE ${inWin}), min(value) FILTER (WHERE ${inWin}), max(value) FILTER (WHERE ${inWin}),
       stddev_samp(value) FILTER (WHERE ${inWin}),
       quantile_cont(value, ${qs}) FILTER (WHERE ${inWin}),
       arg_max(value, time_ns) FILTER (WHERE ${before} AND value IS NOT NULL), max(time_ns) FILTER (WHERE ${before} AND value IS NOT NULL)::DOUBLE,
       arg_min(value, time_ns) FILTER (WHERE ${inWin} AND value IS NOT NULL), min(time_ns) FILTER (WHERE ${inWin} AND value IS NOT NULL)::DOUBLE,
       arg_max(value, time_ns) FILTER (WHERE ${inWin} AND value IS NOT NULL), max(time_ns) FILTER (WHERE ${inWin} AND value IS NOT NULL)::DOUBLE
     FROM server_metrics WHERE run_id = ${sqlString(runId)}
     GROUP BY ALL ORDER BY url, family, labels_text, metric, le`,
  );
  return reader.getRows().map((r) => ({
    url: String(r[0]),
    metric: String(r[1]),
    family: String(r[2]),
    type: String(r[3]) as PromType,
    labels: String(r[4]),
    le: r[5] == null ? null : String(r[5]),
    n: num(r[6]) ?? 0,
    avg: num(r[7]),
    min: num(r[8]),
    max: num(r[9]),
    std: num(r[10]),
    quantiles: numList(r[11]),
    refValue: num(r[12]),
    refNs: num(r[13]),
    firstValue: num(r[14]),
    firstNs: num(r[15]),
    lastValue: num(r[16]),
    lastNs: num(r[17]),
  }));
}

/** Per endpoint and source: scrape attempts, successes, fetch latency, first and last times. */
export async function scrapeStatsDb(conn: DuckDBConnection, runId: string, source: ScrapeRow["source"]): Promise<ScrapeStats[]> {
  const reader = await conn.runAndReadAll(
    `SELECT url, count(*)::DOUBLE, count(*) FILTER (WHERE ok)::DOUBLE, avg(latency_ms) FILTER (WHERE ok),
       min(time_ns) FILTER (WHERE ok)::DOUBLE, max(time_ns) FILTER (WHERE ok)::DOUBLE, any_value(error) FILTER (WHERE NOT ok)
     FROM metric_scrapes WHERE run_id = ${sqlString(runId)} AND source = ${sqlString(source)} GROUP BY url ORDER BY url`,
  );
  return reader.getRows().map((r) => ({
    url: String(r[0]),
    attempts: num(r[1]) ?? 0,
    ok: num(r[2]) ?? 0,
    avgLatencyMs: num(r[3]),
    firstNs: num(r[4]),
    lastNs: num(r[5]),
    anError: r[6] == null ? null : String(r[6]),
  }));
}

/** HELP text per family (the first endpoint's that had one). */
export async function familyHelpDb(conn: DuckDBConnection, runId: string): Promise<Map<string, string>> {
  const reader = await conn.runAndReadAll(
    `SELECT family, any_value(help) FROM server_metric_families WHERE run_id = ${sqlString(runId)} AND help IS NOT NULL GROUP BY family`,
  );
  return new Map(reader.getRows().map((r) => [String(r[0]), String(r[1])]));
}

export interface SliceGauge {
  /** floor(time_ns / slice_ns): the slice's bucket, as the request slices count them. */
  bucket: number;
  metric: string;
  /** Over the slice's profiling scrapes, of the per-scrape sum over series (and of the per-scrape mean). */
  sum: { avg: number; min: number; max: number };
  mean: { avg: number; min: number; max: number };
}

/** Per --slice-duration bucket and metric: statistics of the listed gauges' profiling scrapes. */
export async function serverGaugeSlicesDb(conn: DuckDBConnection, runId: string, sliceNs: number, metrics: readonly string[]): Promise<SliceGauge[]> {
  if (metrics.length === 0) return [];
  const reader = await conn.runAndReadAll(
    `WITH s AS (
       SELECT floor(time_ns::DOUBLE / ${sliceNs}::DOUBLE) AS b, time_ns, metric, sum(value) AS vs, avg(value) AS va
       FROM server_metrics
       WHERE run_id = ${sqlString(runId)} AND phase = 'profiling' AND value IS NOT NULL AND metric IN (${metrics.map(sqlString).join(", ")})
       GROUP BY ALL)
     SELECT b, metric, avg(vs), min(vs), max(vs), avg(va), min(va), max(va) FROM s GROUP BY b, metric ORDER BY b, metric`,
  );
  return reader.getRows().map((r) => ({
    bucket: num(r[0]) ?? 0,
    metric: String(r[1]),
    sum: { avg: num(r[2]) ?? 0, min: num(r[3]) ?? 0, max: num(r[4]) ?? 0 },
    mean: { avg: num(r[5]) ?? 0, min: num(r[6]) ?? 0, max: num(r[7]) ?? 0 },
  }));
}
