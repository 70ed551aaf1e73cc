// GPU readings from nvidia-smi when no DCGM exporter answers: ONE long-lived `nvidia-smi -lms` process
// (NVML starts once, not per sample) streaming a CSV line per GPU per interval; each line is stamped
// when it arrives and stored under DCGM's field names.
import { hostname } from "node:os";
import { type GpuReading, NVIDIA_SMI_FIELDS, nvidiaSmiReadings } from "../metrics/gpu-telemetry.ts";
import { epochNs } from "../runtime/clock.ts";
import type { ScrapePhase } from "../store/server-metrics-db.ts";

export function nvidiaSmiArgs(intervalMs: number): string[] {
  return [`--query-gpu=${NVIDIA_SMI_FIELDS.map(([f]) => f).join(",")}`, "--format=csv,noheader,nounits", "-lms", String(Math.max(1, Math.round(intervalMs)))];
}

export class NvidiaSmiSampler {
  private proc: ReturnType<typeof Bun.spawn> | null = null;
  private reading: Promise<void> | null = null;
  private phase: ScrapePhase = "baseline";
  private lines = 0;
  private readonly host = hostname();

  constructor(
    private readonly path: string,
    private readonly intervalMs: number,
    private readonly sink: (time_ns: number, phase: ScrapePhase, readings: GpuReading[]) => void,
    private readonly warn: (line: string) => void,
  ) {}

  start(): void {
    try {
      this.proc = Bun.spawn([this.path, ...nvidiaSmiArgs(this.intervalMs)], { stdout: "pipe", stderr: "ignore", stdin: "ignore" });
    } catch (e) {
      this.warn(`GPU telemetry: cannot start ${this.path} (${e instanceof Error ? e.message.split("\n")[0] : String(e)}); the run goes on without it`);
      return;
    }
    this.reading = this.read(this.proc.stdout as ReadableStream<Uint8Array>);
  }

  phaseStarted(phase: "warmup" | "profiling"): void {
    this.phase = phase;
  }

  /** Readings lines seen so far. */
  get lineCount(): number {
    return this.lines;
  }

  /** Ends the process without waiting (a run failing on its way out). */
  kill(): void {
    this.proc?.kill();
    this.proc = null;
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (p === null) return;
    this.proc = null;
    p.kill();
    await p.exited;
    await this.reading;
  }

  private async read(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let rest = "";
    let bad = 0;
    try {
      for await (const chunk of stream) {
        rest += decoder.decode(chunk, { stream: true });
        let nl = rest.indexOf("\n");
        while (nl >= 0) {
          const line = rest.slice(0, nl).trim();
          rest = rest.slice(nl + 1);
          nl = rest.indexOf("\n");
          if (line === "") continue;
          const readings = nvidiaSmiReadings(line, this.host);
          if (readings.length === 0) {
            if (bad++ === 0) this.warn(`GPU telemetry: nvidia-smi printed a line it was not asked for (${line.slice(0, 80)}); such lines are skipped`);
            continue;
          }
          this.lines++;
          this.sink(epochNs(), this.phase, readings);
        }
      }
    } catch {
      // the process was killed mid-read
    }
  }
}
