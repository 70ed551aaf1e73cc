// Prometheus text exposition (format 0.0.4) of the vLLM metric names benchmark tools scrape.

/** vLLM's buckets for vllm:time_to_first_token_seconds. */
export const TTFT_BUCKETS_S = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0,
];
/** vLLM's buckets for vllm:e2e_request_latency_seconds. */
const E2E_BUCKETS_S = [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0];

export class Histogram {
  /** Per-bucket (non-cumulative) counts; the last slot is +Inf. */
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }
  observe(v: number): void {
    let i = 0;
    while (i < this.bounds.length && v > this.bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += v;
    this.count++;
  }
}

export interface ModelMetrics {
  running: number;
  waiting: number;
  promptTokens: number;
  generationTokens: number;
  ttft: Histogram;
  e2e: Histogram;
  /** Finished requests by finished_reason ("stop", "length"). */
  success: Map<string, number>;
}

/** A request finished normally (vllm:request_success_total). */
export function countSuccess(m: ModelMetrics, finishedReason: string): void {
  m.success.set(finishedReason, (m.success.get(finishedReason) ?? 0) + 1);
}

/** Server-wide state the per-model counters do not hold. */
export interface ServerGauges {
  /** Batch slots of the batched-decode model (its KV capacity, in requests); null when requests decode independently. */
  batchSlots: number | null;
}

export function newModelMetrics(): ModelMetrics {
  return {
    running: 0,
    waiting: 0,
    promptTokens: 0,
    generationTokens: 0,
    ttft: new Histogram(TTFT_BUCKETS_S),
    e2e: new Histogram(E2E_BUCKETS_S),
    success: new Map(),
  };
}

export function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** Floats as Python's prometheus_client prints them: 1 -> "1.0", so le labels match vLLM. */
export function formatFloat(v: number): string {
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (Number.isNaN(v)) return "NaN";
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

type Scalar = "running" | "waiting" | "promptTokens" | "generationTokens";
const SCALARS: { name: string; type: "gauge" | "counter"; help: string; field: Scalar }[] = [
  { name: "vllm:num_requests_running", type: "gauge", help: "Number of requests in model execution batches.", field: "running" },
  { name: "vllm:num_requests_waiting", type: "gauge", help: "Number of requests waiting to be processed.", field: "waiting" },
  { name: "vllm:prompt_tokens_total", type: "counter", help: "Number of prefill tokens processed.", field: "promptTokens" },
  { name: "vllm:generation_tokens_total", type: "counter", help: "Number of generation tokens processed.", field: "generationTokens" },
];
const HISTOGRAMS: { name: string; help: string; field: "ttft" | "e2e" }[] = [
  { name: "vllm:time_to_first_token_seconds", help: "Histogram of time to first token in seconds.", field: "ttft" },
  { name: "vllm:e2e_request_latency_seconds", help: "Histogram of end to end request latency in seconds.", field: "e2e" },
];

/** KV-cache use as the batch model sees it: a running request holds one of the batch's slots. */
function kvUsage(m: ModelMetrics, g: ServerGauges): number {
  return g.batchSlots === null ? 0 : Math.min(1, m.running / g.batchSlots);
}

const KV_GAUGES = [
  { name: "vllm:kv_cache_usage_perc", help: "KV-cache usage. 1 means 100 percent usage." },
  { name: "vllm:gpu_cache_usage_perc", help: "GPU KV-cache usage. 1 means 100 percent usage (the name before vLLM v1)." },
];

export function renderPrometheus(models: ReadonlyArray<readonly [string, ModelMetrics]>, g: ServerGauges = { batchSlots: null }): string {
  const out: string[] = [];
  for (const s of SCALARS) {
    out.push(`# HELP ${s.name} ${s.help}`, `# TYPE ${s.name} ${s.type}`);
    for (const [name, m] of models) out.push(`${s.name}{model_name="${escapeLabel(name)}"} ${formatFloat(m[s.field])}`);
  }
  for (const k of KV_GAUGES) {
    out.push(`# HELP ${k.name} ${k.help}`, `# TYPE ${k.name} gauge`);
    for (const [name, m] of models) out.push(`${k.name}{model_name="${escapeLabel(name)}"} ${formatFloat(kvUsage(m, g))}`);
  }
  out.push("# HELP vllm:request_success_total Count of successfully processed requests.", "# TYPE vllm:request_success_total counter");
  for (const [name, m] of models)
    for (const reason of ["length", "stop", ...[...m.success.keys()].filter((r) => r !== "length" && r !== "stop")])
      out.push(
        `vllm:request_success_total{finished_reason="${escapeLabel(reason)}",model_name="${escapeLabel(name)}"} ${formatFloat(m.success.get(reason) ?? 0)}`,
      );
  out.push("# HELP vllm:num_preemptions_total Cumulative number of preemption from the engine.", "# TYPE vllm:num_preemptions_total counter");
  // The mock never preempts: a request keeps its batch slot until it ends.
  for (const [name] of models) out.push(`vllm:num_preemptions_total{model_name="${escapeLabel(name)}"} 0.0`);
  for (const h of HISTOGRAMS) {
    out.push(`# HELP ${h.name} ${h.help}`, `# TYPE ${h.name} histogram`);
    for (const [name, m] of models) {
      const label = `model_name="${escapeLabel(name)}"`;
      const hist = m[h.field];
      let cum = 0;
      for (let i = 0; i <= hist.bounds.length; i++) {
        cum += hist.counts[i]!;
        const le = i < hist.bounds.length ? formatFloat(hist.bounds[i]!) : "+Inf";
        out.push(`${h.name}_bucket{${label},le="${le}"} ${formatFloat(cum)}`);
      }
      out.push(`${h.name}_sum{${label}} ${formatFloat(hist.sum)}`, `${h.name}_count{${label}} ${formatFloat(hist.count)}`);
    }
  }
  return out.join("\n") + "\n";
}
