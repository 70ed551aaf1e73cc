// GPU telemetry as files and console lines: gpu_telemetry_export.json (per GPU and DCGM field, the
// profiling window's statistics, and the energy figures), the summary JSON's llmbench sections, and
// the console's energy line (always) and per-GPU lines (with --gpu-telemetry, as AIPerf).
import type { GpuMetricStats, GpuTelemetryResults } from "../metrics/gpu-telemetry.ts";
import type { ServerMetricsResults } from "../metrics/server-metric-names.ts";
import type { PyJsonValue } from "./py-json.ts";
import { terminalSafe } from "./terminal-safe.ts";

/** The DCGM fields the console shows per GPU, with their units. */
const SHOWN: readonly [string, string, string][] = [
  ["DCGM_FI_DEV_POWER_USAGE", "power", "W"],
  ["DCGM_FI_DEV_GPU_UTIL", "util", "%"],
  ["DCGM_FI_DEV_FB_USED", "memory used", "MiB"],
  ["DCGM_FI_DEV_SM_CLOCK", "SM clock", "MHz"],
  ["DCGM_FI_DEV_GPU_TEMP", "temp", "C"],
];

const THROTTLE = "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS";

interface GpuGroup {
  source: string;
  host: string;
  uuid: string;
  gpu_index: number | null;
  name: string;
  metrics: Record<string, GpuMetricStats["stats"]>;
}

function byGpu(rows: readonly GpuMetricStats[]): GpuGroup[] {
  const out = new Map<string, GpuGroup>();
  for (const r of rows) {
    const key = `${r.source}\n${r.host}\n${r.uuid}`;
    let g = out.get(key);
    if (g === undefined) {
      g = { source: r.source, host: r.host, uuid: r.uuid, gpu_index: r.gpu_index, name: r.name, metrics: {} };
      out.set(key, g);
    }
    g.metrics[r.metric] = r.stats;
  }
  return [...out.values()];
}

export function gpuTelemetryJson(g: GpuTelemetryResults, o: { toolVersion: string; runId: string }): string {
  return JSON.stringify(
    { schema_version: "1.0", aiperf_version: o.toolVersion, benchmark_id: o.runId, sources: g.sources, energy: g.energy, gpus: byGpu(g.gpus) },
    null,
    2,
  );
}

/** What the summary JSON (profile_export_aiperf.json) carries of the server's side, under llmbench_ keys. */
export function serverSideJsonSections(sm: ServerMetricsResults | undefined, gpu: GpuTelemetryResults | undefined): Record<string, PyJsonValue> {
  const out: Record<string, PyJsonValue> = {};
  if (sm !== undefined)
    out.llmbench_server_metrics = JSON.parse(
      JSON.stringify({
        endpoints_configured: sm.export.summary.endpoints_configured,
        endpoints_successful: sm.export.summary.endpoints_successful,
        named: sm.named,
      }),
    ) as PyJsonValue;
  if (gpu !== undefined) out.llmbench_gpu_energy = JSON.parse(JSON.stringify({ sources: gpu.sources, ...gpu.energy })) as PyJsonValue;
  return out;
}

const fmt = (x: number): string => x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The console section: the energy line, then (with --gpu-telemetry) one line per GPU. */
export function gpuTelemetryLines(g: GpuTelemetryResults, width: number): string[] {
  const e = g.energy;
  const lines: string[] = [];
  if (e.gpus.length === 0) lines.push(`GPU telemetry (${g.sources.join(", ")}): no power or energy reading in the profiling window`);
  else {
    const per = [
      e.output_tokens_per_joule === null ? null : `${fmt(e.output_tokens_per_joule)} output tokens/J`,
      e.energy_per_output_token_j === null ? null : `${fmt(e.energy_per_output_token_j)} J per output token`,
    ].filter((x) => x !== null);
    lines.push(
      `GPU Energy: ${fmt(e.total_gpu_energy_j)} J over ${e.gpus.length} GPU${e.gpus.length === 1 ? "" : "s"} (profiling window)${per.length > 0 ? `; ${per.join(", ")}` : ""}`,
    );
  }
  if (g.show) {
    for (const gpu of byGpu(g.gpus)) {
      const parts: string[] = [];
      for (const [metric, label, unit] of SHOWN) {
        const s = gpu.metrics[metric];
        if (s !== undefined) parts.push(`${label} ${fmt(s.avg)} ${unit}${metric === "DCGM_FI_DEV_POWER_USAGE" ? ` (max ${fmt(s.max)})` : ""}`);
      }
      const t = gpu.metrics[THROTTLE];
      if (t !== undefined && t.max > 0) parts.push(`throttled (reasons 0x${Math.round(t.max).toString(16)})`);
      const line = terminalSafe(`  GPU ${gpu.gpu_index ?? "?"} ${gpu.name} @ ${gpu.host}: ${parts.join(", ")}`);
      lines.push(line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}…`);
    }
  }
  return lines;
}
