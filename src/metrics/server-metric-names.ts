// The server metrics llmbench names in its summary: one row per question (how many requests run,
// wait, how full the KV cache is, ...), answered by whichever server's metric the scrape found.
// Names as in the export (counters without `_total`); the one table of recognised names.
import type { ExportMetric, ServerMetricsExport } from "./server-metrics-summary.ts";

export type ServerKind = "vllm" | "sglang" | "trtllm" | "dynamo";

/** How a row reads its metric: a gauge's avg/max, a counter's total/rate, a histogram's count/avg/percentiles, or hits/queries counters. */
export type KnownHow = "gauge" | "ratio_gauge" | "counter" | "histogram_seconds" | { hits: string; queries: string };

export interface KnownMetricName {
  server: ServerKind;
  name: string;
  how: KnownHow;
}

export interface KnownServerMetric {
  /** The key in the summary JSON's `named` object. */
  key: string;
  /** The console row's label. */
  label: string;
  names: readonly KnownMetricName[];
}

const g = (server: ServerKind, name: string): KnownMetricName => ({ server, name, how: "gauge" });
const r = (server: ServerKind, name: string): KnownMetricName => ({ server, name, how: "ratio_gauge" });
const c = (server: ServerKind, name: string): KnownMetricName => ({ server, name, how: "counter" });
const h = (server: ServerKind, name: string): KnownMetricName => ({ server, name, how: "histogram_seconds" });

export const KNOWN_SERVER_METRICS: readonly KnownServerMetric[] = [
  {
    key: "running_requests",
    label: "Running requests",
    names: [g("vllm", "vllm:num_requests_running"), g("sglang", "sglang:num_running_reqs"), g("dynamo", "dynamo_frontend_inflight_requests")],
  },
  {
    key: "waiting_requests",
    label: "Waiting requests",
    names: [g("vllm", "vllm:num_requests_waiting"), g("sglang", "sglang:num_queue_reqs"), g("dynamo", "dynamo_frontend_queued_requests")],
  },
  {
    key: "kv_cache_usage",
    label: "KV-cache usage",
    names: [
      r("vllm", "vllm:kv_cache_usage_perc"),
      r("vllm", "vllm:gpu_cache_usage_perc"),
      r("sglang", "sglang:token_usage"),
      r("dynamo", "dynamo_component_kvstats_gpu_cache_usage_percent"),
    ],
  },
  {
    key: "prefix_cache_hit_rate",
    label: "Prefix-cache hit rate",
    names: [
      { server: "vllm", name: "vllm:prefix_cache_hits", how: { hits: "vllm:prefix_cache_hits", queries: "vllm:prefix_cache_queries" } },
      r("vllm", "vllm:gpu_prefix_cache_hit_rate"),
      r("sglang", "sglang:cache_hit_rate"),
      r("dynamo", "dynamo_component_kvstats_gpu_prefix_cache_hit_rate"),
    ],
  },
  {
    key: "server_ttft",
    label: "Server TTFT",
    names: [
      h("vllm", "vllm:time_to_first_token_seconds"),
      h("trtllm", "trtllm:time_to_first_token_seconds"),
      h("dynamo", "dynamo_frontend_time_to_first_token_seconds"),
    ],
  },
  {
    key: "server_itl",
    label: "Server ITL",
    names: [
      h("vllm", "vllm:inter_token_latency_seconds"),
      h("vllm", "vllm:time_per_output_token_seconds"),
      h("trtllm", "trtllm:time_per_output_token_seconds"),
      h("dynamo", "dynamo_frontend_inter_token_latency_seconds"),
    ],
  },
  {
    key: "server_queue_time",
    label: "Server queue time",
    names: [h("vllm", "vllm:request_queue_time_seconds"), h("sglang", "sglang:queue_time_seconds"), h("trtllm", "trtllm:request_queue_time_seconds")],
  },
  {
    key: "server_e2e_latency",
    label: "Server request latency",
    names: [
      h("vllm", "vllm:e2e_request_latency_seconds"),
      h("trtllm", "trtllm:e2e_request_latency_seconds"),
      h("dynamo", "dynamo_frontend_request_duration_seconds"),
    ],
  },
  { key: "preemptions", label: "Preemptions", names: [c("vllm", "vllm:num_preemptions"), g("sglang", "sglang:num_retracted_reqs")] },
  {
    key: "successful_requests",
    label: "Successful requests",
    names: [c("vllm", "vllm:request_success"), c("trtllm", "trtllm:request_success"), c("dynamo", "dynamo_frontend_requests")],
  },
  { key: "prompt_tokens", label: "Prompt tokens", names: [c("vllm", "vllm:prompt_tokens")] },
  { key: "generation_tokens", label: "Generation tokens", names: [c("vllm", "vllm:generation_tokens"), c("dynamo", "dynamo_frontend_output_tokens")] },
];

/** One named row: which metric answered it, on which endpoint and series, with what statistics. */
export interface NamedServerRow {
  key: string;
  label: string;
  server: ServerKind;
  metric: string;
  endpoint_url: string;
  labels: Record<string, string> | null;
  how: "gauge" | "ratio_gauge" | "counter" | "histogram_seconds" | "hit_ratio";
  stats: Record<string, number>;
}

/** What a run keeps of its server metrics: the export, its named rows, and how many lines did not parse. */
export interface ServerMetricsResults {
  export: ServerMetricsExport;
  named: NamedServerRow[];
  malformedLines: number;
}

/** The series' model label (vLLM: model_name; Dynamo: model). */
export function modelOf(labels: Record<string, string> | null): string | undefined {
  return labels?.model_name ?? labels?.model;
}

/** Sums a counter's window totals over every series of one endpoint. */
function counterTotal(m: ExportMetric | undefined, url: string): number | null {
  if (m === undefined || m.type !== "counter") return null;
  const s = m.series.filter((x) => x.endpoint_url === url);
  return s.length === 0 ? null : s.reduce((a, x) => a + (x.stats.total ?? 0), 0);
}

/** The named rows the export answers: for each question, the first recognised metric found, one row per series. */
export function namedServerRows(exp: ServerMetricsExport): NamedServerRow[] {
  const rows: NamedServerRow[] = [];
  for (const k of KNOWN_SERVER_METRICS) {
    for (const n of k.names) {
      if (typeof n.how === "object") {
        const hits = exp.metrics[n.how.hits];
        if (hits === undefined) continue;
        const urls = [...new Set(hits.series.map((s) => s.endpoint_url))];
        for (const url of urls) {
          const hv = counterTotal(hits, url);
          const qv = counterTotal(exp.metrics[n.how.queries], url);
          if (hv === null || qv === null) continue;
          const stats: Record<string, number> = { hits: hv, queries: qv };
          if (qv > 0) stats.ratio = hv / qv;
          rows.push({ key: k.key, label: k.label, server: n.server, metric: n.name, endpoint_url: url, labels: null, how: "hit_ratio", stats });
        }
        if (urls.length > 0) break;
        continue;
      }
      const m = exp.metrics[n.name];
      if (m === undefined || m.series.length === 0) continue;
      if (n.how === "counter") {
        // A counter split by a reason (finished_reason, status) is summed per endpoint and model.
        const merged = new Map<string, NamedServerRow>();
        for (const s of m.series) {
          const model = modelOf(s.labels);
          const id = `${s.endpoint_url}\n${model ?? ""}`;
          const prev = merged.get(id);
          if (prev === undefined) {
            const labels = model === undefined ? null : { model_name: model };
            merged.set(id, {
              key: k.key,
              label: k.label,
              server: n.server,
              metric: n.name,
              endpoint_url: s.endpoint_url,
              labels,
              how: n.how,
              stats: { ...s.stats },
            });
          } else {
            prev.stats.total = (prev.stats.total ?? 0) + (s.stats.total ?? 0);
            prev.stats.rate = (prev.stats.rate ?? 0) + (s.stats.rate ?? 0);
          }
        }
        rows.push(...merged.values());
      } else {
        for (const s of m.series)
          rows.push({
            key: k.key,
            label: k.label,
            server: n.server,
            metric: n.name,
            endpoint_url: s.endpoint_url,
            labels: s.labels,
            how: n.how,
            stats: s.stats,
          });
      }
      break;
    }
  }
  return rows;
}
