// GPU telemetry rows from a DCGM exporter's Prometheus samples or from nvidia-smi's CSV, under DCGM's
// field names either way (one vocabulary in the table), and the energy figures derived from them.
import { labelValue, type PromSample } from "./prometheus-parse.ts";

/** One GPU metric reading. */
export interface GpuReading {
  host: string;
  gpu_index: number | null;
  uuid: string;
  name: string;
  /** DCGM field name, e.g. DCGM_FI_DEV_POWER_USAGE. */
  metric: string;
  value: number;
}

export const POWER = "DCGM_FI_DEV_POWER_USAGE";
export const ENERGY = "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION";

/** The nvidia-smi fields queried, in order, and the DCGM field each becomes (null: identity columns). */
export const NVIDIA_SMI_FIELDS: readonly [string, string | null][] = [
  ["index", null],
  ["uuid", null],
  ["name", null],
  ["power.draw", POWER],
  ["utilization.gpu", "DCGM_FI_DEV_GPU_UTIL"],
  ["utilization.memory", "DCGM_FI_DEV_MEM_COPY_UTIL"],
  ["memory.used", "DCGM_FI_DEV_FB_USED"],
  ["memory.total", "DCGM_FI_DEV_FB_TOTAL"],
  ["clocks.sm", "DCGM_FI_DEV_SM_CLOCK"],
  ["clocks.mem", "DCGM_FI_DEV_MEM_CLOCK"],
  ["temperature.gpu", "DCGM_FI_DEV_GPU_TEMP"],
  ["clocks_throttle_reasons.active", "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS"],
];

/** DCGM exporter samples -> readings; samples without a GPU (exporter's own metrics) are skipped. */
export function dcgmReadings(samples: readonly PromSample[], fallbackHost: string): GpuReading[] {
  const out: GpuReading[] = [];
  for (const s of samples) {
    const uuid = labelValue(s.labels, "UUID") ?? labelValue(s.labels, "uuid");
    const gpu = labelValue(s.labels, "gpu");
    if (uuid === undefined && gpu === undefined) continue;
    if (!Number.isFinite(s.value)) continue;
    const idx = gpu === undefined ? Number.NaN : Number(gpu);
    out.push({
      host: labelValue(s.labels, "Hostname") ?? labelValue(s.labels, "hostname") ?? fallbackHost,
      gpu_index: Number.isInteger(idx) ? idx : null,
      uuid: uuid ?? `gpu${gpu}`,
      name: labelValue(s.labels, "modelName") ?? labelValue(s.labels, "model_name") ?? "",
      metric: s.name,
      value: s.value,
    });
  }
  return out;
}

/** A number from an nvidia-smi cell ("[N/A]", "[Not Supported]" -> null; hex bitmasks too). */
function smiNumber(cell: string): number | null {
  const c = cell.trim();
  if (/^0x[0-9a-f]+$/i.test(c)) return Number.parseInt(c.slice(2), 16);
  const v = Number(c);
  return c === "" || Number.isNaN(v) ? null : v;
}

/** One `--format=csv,noheader,nounits` line of NVIDIA_SMI_FIELDS -> readings (empty when malformed). */
export function nvidiaSmiReadings(line: string, host: string): GpuReading[] {
  const cells = line.split(",").map((c) => c.trim());
  if (cells.length !== NVIDIA_SMI_FIELDS.length) return [];
  const idx = Number(cells[0]);
  const uuid = cells[1]!;
  const name = cells[2]!;
  if (!Number.isInteger(idx) || uuid === "") return [];
  const out: GpuReading[] = [];
  NVIDIA_SMI_FIELDS.forEach(([, metric], i) => {
    if (metric === null) return;
    const v = smiNumber(cells[i]!);
    if (v !== null) out.push({ host, gpu_index: idx, uuid, name, metric, value: v });
  });
  return out;
}

/** Per GPU over the profiling window: energy from its counter (mJ) when it has one, else power integrated over time. */
export interface GpuEnergy {
  source: string;
  host: string;
  uuid: string;
  gpu_index: number | null;
  name: string;
  energy_j: number;
  /** "counter" (DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION delta) or "power" (trapezoid over DCGM_FI_DEV_POWER_USAGE). */
  method: "counter" | "power";
  /** The span the figure covers (reference sample to the last in the window). */
  span_ns: number;
}

export interface EnergySummary {
  gpus: GpuEnergy[];
  total_gpu_energy_j: number;
  output_tokens: number | null;
  output_tokens_per_joule: number | null;
  energy_per_output_token_j: number | null;
}

/** The run's energy figures: one source per GPU (a DCGM exporter before nvidia-smi), summed over GPUs. */
export function energySummary(perGpu: readonly GpuEnergy[], outputTokens: number | null): EnergySummary {
  const byGpu = new Map<string, GpuEnergy>();
  for (const g of perGpu) {
    const key = `${g.host}\n${g.uuid}`;
    const prev = byGpu.get(key);
    const rank = (x: GpuEnergy): number => (x.source === "nvidia-smi" ? 0 : 2) + (x.method === "counter" ? 1 : 0);
    if (prev === undefined || rank(g) > rank(prev)) byGpu.set(key, g);
  }
  const gpus = [...byGpu.values()].sort((a, b) => a.host.localeCompare(b.host) || (a.gpu_index ?? 0) - (b.gpu_index ?? 0));
  const total = gpus.reduce((a, g) => a + g.energy_j, 0);
  const tokens = outputTokens !== null && outputTokens > 0 ? outputTokens : null;
  return {
    gpus,
    total_gpu_energy_j: total,
    output_tokens: outputTokens,
    output_tokens_per_joule: tokens !== null && total > 0 ? tokens / total : null,
    energy_per_output_token_j: tokens !== null && total > 0 ? total / tokens : null,
  };
}

/** Per GPU and metric, the profiling window's readings (as AIPerf's GPU table). */
export interface GpuMetricStats {
  source: string;
  host: string;
  uuid: string;
  gpu_index: number | null;
  name: string;
  metric: string;
  stats: { avg: number; min: number; max: number; std: number; p50: number; p90: number; p99: number };
}

export interface GpuTelemetryResults {
  /** Where readings came from: exporter URLs that answered, and/or "nvidia-smi". */
  sources: string[];
  gpus: GpuMetricStats[];
  energy: EnergySummary;
  /** --gpu-telemetry was given: the console shows the GPU table (AIPerf shows it only then). */
  show: boolean;
}
