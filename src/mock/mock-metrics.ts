// Live metric state per model_name label, rendered on GET /metrics.
import { newModelMetrics, renderPrometheus, type ModelMetrics, type ServerGauges } from "./prometheus.ts";

/** Requests may name any model; past this many labels new names share one, bounding memory. */
const MAX_MODEL_LABELS = 256;
export const OVERFLOW_MODEL_LABEL = "__other__";

export class MockMetrics {
  private readonly byModel = new Map<string, ModelMetrics>();

  /** `gauges.batchSlots`: the batched-decode model's --max-batch-size (KV usage = running / slots), null without it. */
  constructor(
    servedModels: readonly string[],
    private readonly gauges: ServerGauges = { batchSlots: null },
  ) {
    for (const m of servedModels) this.byModel.set(m, newModelMetrics());
  }

  model(name: string): ModelMetrics {
    let m = this.byModel.get(name);
    if (m) return m;
    const label = this.byModel.size >= MAX_MODEL_LABELS ? OVERFLOW_MODEL_LABEL : name;
    m = this.byModel.get(label);
    if (!m) {
      m = newModelMetrics();
      this.byModel.set(label, m);
    }
    return m;
  }

  render(): string {
    return renderPrometheus([...this.byModel.entries()], this.gauges);
  }
}
