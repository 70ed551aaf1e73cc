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
}

export function newModelMetrics(): ModelMetrics {
  return {
    running: 0,
    waiting: 0,
    promptTokens: 0,
    generationTokens: 0,
    ttft: new Histogram(TTFT_BUCKETS_S),
    e2e: new Histogram(E2E_BUCKETS_S),
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

export function renderPrometheus(models: ReadonlyArray<readonly [string, ModelMetrics]>): string {
  const out: string[] = [];
  for (const s of SCALARS) {
    out.push(`# HELP ${s.name} ${s.help}`, `# TYPE ${s.name} ${s.type}`);
    for (const [name, m] of models) out.push(`${s.name}{model_name="${escapeLabel(name)}"} ${formatFloat(m[s.field])}`);
  }
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
