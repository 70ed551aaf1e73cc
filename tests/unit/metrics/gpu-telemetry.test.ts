import { describe, expect, test } from "bun:test";
import { dcgmReadings, energySummary, type GpuEnergy, nvidiaSmiReadings } from "../../../src/metrics/gpu-telemetry.ts";
import { parsePrometheus } from "../../../src/metrics/prometheus-parse.ts";
import { nvidiaSmiArgs } from "../../../src/run/nvidia-smi-sampler.ts";

describe("dcgmReadings", () => {
  test("per-GPU samples with DCGM labels; exporter-level samples skipped", () => {
    const p = parsePrometheus(
      [
        "# TYPE DCGM_FI_DEV_POWER_USAGE gauge",
        'DCGM_FI_DEV_POWER_USAGE{gpu="1",UUID="GPU-x",device="nvidia1",modelName="NVIDIA H100",Hostname="node7"} 312.5',
        'DCGM_FI_DEV_GPU_TEMP{gpu="1",UUID="GPU-x"} 41',
        "process_cpu_seconds_total 12",
      ].join("\n"),
    );
    expect(dcgmReadings(p.samples, "fallback")).toEqual([
      { host: "node7", gpu_index: 1, uuid: "GPU-x", name: "NVIDIA H100", metric: "DCGM_FI_DEV_POWER_USAGE", value: 312.5 },
      { host: "fallback", gpu_index: 1, uuid: "GPU-x", name: "", metric: "DCGM_FI_DEV_GPU_TEMP", value: 41 },
    ]);
  });
});

describe("nvidiaSmiReadings", () => {
  test("a full line -> DCGM field names; hex throttle mask; [N/A] cells left out", () => {
    const r = nvidiaSmiReadings("0, GPU-a, NVIDIA A100, 250.50, 87, 12, 1000, 81920, 1410, 1593, [N/A], 0x0000000000000004", "h");
    expect(r.map((x) => [x.metric, x.value])).toEqual([
      ["DCGM_FI_DEV_POWER_USAGE", 250.5],
      ["DCGM_FI_DEV_GPU_UTIL", 87],
      ["DCGM_FI_DEV_MEM_COPY_UTIL", 12],
      ["DCGM_FI_DEV_FB_USED", 1000],
      ["DCGM_FI_DEV_FB_TOTAL", 81920],
      ["DCGM_FI_DEV_SM_CLOCK", 1410],
      ["DCGM_FI_DEV_MEM_CLOCK", 1593],
      ["DCGM_FI_DEV_CLOCK_THROTTLE_REASONS", 4],
    ]);
    expect(r.every((x) => x.gpu_index === 0 && x.uuid === "GPU-a" && x.name === "NVIDIA A100" && x.host === "h")).toBe(true);
    expect(r.length).toBe(8);
  });
  const bad = ["", "0, GPU-a", "x, GPU-a, n, 1, 1, 1, 1, 1, 1, 1, 1, 0x0", "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."];
  for (const line of bad) test(`malformed: ${JSON.stringify(line.slice(0, 30))}`, () => expect(nvidiaSmiReadings(line, "h")).toEqual([]));
  test("the query asks for exactly the fields parsed, in loop mode", () => {
    expect(nvidiaSmiArgs(333)).toEqual([
      "--query-gpu=index,uuid,name,power.draw,utilization.gpu,utilization.memory,memory.used,memory.total,clocks.sm,clocks.mem,temperature.gpu,clocks_throttle_reasons.active",
      "--format=csv,noheader,nounits",
      "-lms",
      "333",
    ]);
  });
});

describe("energySummary", () => {
  const e = (o: Partial<GpuEnergy>): GpuEnergy => ({
    source: "http://x/metrics",
    host: "h",
    uuid: "u0",
    gpu_index: 0,
    name: "",
    energy_j: 100,
    method: "counter",
    span_ns: 1e9,
    ...o,
  });
  test("sums GPUs; tokens per joule and joules per token", () => {
    const s = energySummary([e({}), e({ uuid: "u1", gpu_index: 1, energy_j: 300 })], 800);
    expect(s.total_gpu_energy_j).toBe(400);
    expect(s.output_tokens_per_joule).toBe(2);
    expect(s.energy_per_output_token_j).toBe(0.5);
  });
  test("one source per GPU: an exporter's counter before nvidia-smi's power", () => {
    const s = energySummary([e({ source: "nvidia-smi", method: "power", energy_j: 90 }), e({ energy_j: 100 })], null);
    expect(s.gpus.length).toBe(1);
    expect(s.total_gpu_energy_j).toBe(100);
    expect(s.output_tokens_per_joule).toBeNull();
  });
  test("no tokens or no energy: no ratios", () => {
    expect(energySummary([], 10).energy_per_output_token_j).toBeNull();
    expect(energySummary([e({})], 0).output_tokens_per_joule).toBeNull();
  });
});
