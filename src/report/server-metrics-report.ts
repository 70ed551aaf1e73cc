// Server metrics as files and console lines: AIPerf's server_metrics_export.json (its layout, plus
// llmbench's named rows), and a short table of the named rows for the end-of-run report.
import { modelOf, type NamedServerRow } from "../metrics/server-metric-names.ts";
import type { ServerMetricsResults } from "../metrics/server-metric-names.ts";
import { terminalSafe } from "./terminal-safe.ts";

const SERVER_NAMES = { vllm: "vLLM", sglang: "SGLang", trtllm: "TensorRT-LLM", dynamo: "Dynamo" } as const;

/** AIPerf's server-metrics export schema version this file follows. */
const SCHEMA_VERSION = "1.0";

export interface ServerMetricsJsonOptions {
  toolVersion: string;
  runId: string;
  inputConfig: unknown;
}

export function serverMetricsExportJson(r: ServerMetricsResults, o: ServerMetricsJsonOptions): string {
  return JSON.stringify(
    {
      schema_version: SCHEMA_VERSION,
      aiperf_version: o.toolVersion,
      benchmark_id: o.runId,
      summary: r.export.summary,
      metrics: r.export.metrics,
      llmbench_named: r.named,
      input_config: o.inputConfig,
    },
    null,
    2,
  );
}

const num = (x: number): string =>
  Number.isInteger(x) ? x.toLocaleString("en-US") : x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const ms = (s: number): string => `${(s * 1000).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ms`;

/** One named row's figures, in words. */
export function namedRowText(row: NamedServerRow): string {
  const s = row.stats;
  const parts: string[] = [];
  switch (row.how) {
    case "gauge":
      if (s.avg !== undefined) parts.push(`avg ${num(s.avg)}`);
      if (s.max !== undefined) parts.push(`max ${num(s.max)}`);
      break;
    case "ratio_gauge":
      if (s.avg !== undefined) parts.push(`avg ${pct(s.avg)}`);
      if (s.max !== undefined) parts.push(`max ${pct(s.max)}`);
      break;
    case "counter":
      if (s.total !== undefined) parts.push(`total ${num(s.total)}`);
      if (s.rate !== undefined) parts.push(`${num(s.rate)}/s`);
      break;
    case "histogram_seconds":
      parts.push(`count ${num(s.count ?? 0)}`);
      if (s.avg !== undefined) parts.push(`avg ${ms(s.avg)}`);
      if (s.p50_estimate !== undefined) parts.push(`p50 ~${ms(s.p50_estimate)}`);
      if (s.p99_estimate !== undefined) parts.push(`p99 ~${ms(s.p99_estimate)}`);
      break;
    case "hit_ratio":
      parts.push(s.ratio === undefined ? "no queries" : pct(s.ratio));
      parts.push(`(${num(s.hits ?? 0)} of ${num(s.queries ?? 0)} tokens)`);
      break;
  }
  return parts.join(", ");
}

/** Which series a row is, when its question has several: the model, then any other labels. */
function seriesTag(row: NamedServerRow): string {
  if (row.labels === null) return "";
  const model = modelOf(row.labels);
  const rest = Object.entries(row.labels)
    .filter(([k]) => k !== "model_name" && k !== "model")
    .map(([k, v]) => `${k}=${v}`);
  return [model, ...rest].filter((x) => x !== undefined).join(" ");
}

/** The console section: the named rows (profiling window), or why there are none. */
export function serverMetricsLines(r: ServerMetricsResults, width: number): string[] {
  const { summary } = r.export;
  const answered = summary.endpoints_successful.length;
  const configured = summary.endpoints_configured.length;
  if (answered === 0) {
    const why = Object.entries(summary.endpoint_info)[0];
    return [`Server metrics: no endpoint answered (${configured} tried${why === undefined ? "" : `, e.g. ${why[0]}`})`];
  }
  const multi = configured > 1;
  const servers = [...new Set(r.named.map((x) => SERVER_NAMES[x.server]))].join(", ");
  const lines = [
    `Server metrics (profiling window; ${answered} of ${configured} endpoint${configured === 1 ? "" : "s"} answered${servers === "" ? "" : `; ${servers} names`}):`,
  ];
  if (r.named.length === 0) lines.push("  no recognised vLLM, SGLang, TensorRT-LLM or Dynamo metric; all are in server_metrics_export.json");
  const labelWidth = Math.max(0, ...r.named.map((x) => x.label.length));
  const perKey = new Map<string, number>();
  for (const row of r.named) perKey.set(row.key, (perKey.get(row.key) ?? 0) + 1);
  for (const row of r.named) {
    const tags = [(perKey.get(row.key) ?? 0) > 1 ? seriesTag(row) : "", multi ? row.endpoint_url : ""].filter((x) => x !== "");
    const line = `  ${row.label.padEnd(labelWidth)}  ${namedRowText(row)}${tags.length > 0 ? `  [${tags.join(" @ ")}]` : ""}`;
    const safe = terminalSafe(line);
    lines.push(safe.length <= width ? safe : `${safe.slice(0, Math.max(0, width - 1))}…`);
  }
  if (r.malformedLines > 0) lines.push(`  ${r.malformedLines} malformed line(s) skipped`);
  return lines;
}
