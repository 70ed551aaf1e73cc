// The server's side of a run as one stage for profile-run.ts: server metrics and GPU telemetry
// collectors started together, told of the phases, stopped after the last request, summarized into
// the run's results before the results file closes.
import type { ProfileConfig } from "../config/profile-config.ts";
import type { RunResults } from "./exports.ts";
import { GpuTelemetryStage } from "./gpu-telemetry-stage.ts";
import { type ResultsDb, ServerMetricsStage } from "./server-metrics-stage.ts";
import { sliceExtras } from "./server-side-slices.ts";

export class ServerSideStage {
  private constructor(
    private server: ServerMetricsStage | null,
    private gpu: GpuTelemetryStage | null,
    private readonly warn: (line: string) => void,
  ) {}

  static async start(
    cfg: ProfileConfig,
    db: ResultsDb,
    runId: string,
    env: Readonly<Record<string, string | undefined>>,
    log: { warn: (line: string) => void; info: (line: string) => void },
  ): Promise<ServerSideStage> {
    const warn = (line: string): void => log.warn(line);
    const server = await ServerMetricsStage.start(cfg, db, runId, warn, (line) => log.info(line));
    const gpu = await GpuTelemetryStage.start(cfg, db, runId, env, warn);
    return new ServerSideStage(server, gpu, warn);
  }

  phaseStarted(phase: "warmup" | "profiling"): void {
    this.server?.phaseStarted(phase);
    this.gpu?.phaseStarted(phase);
  }

  /** After the last profiling request: the final scrapes close the window. */
  async stop(): Promise<void> {
    await this.server?.stop();
    await this.gpu?.stop();
  }

  /** Adds the server metrics and GPU telemetry summaries (and per-slice figures) to `results`, then closes the collectors' connections. */
  async summarize(runId: string, results: RunResults, sliceNs: number | null): Promise<void> {
    const fail = (what: string) => (e: unknown) => {
      this.warn(`${what}: no summary (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
      return undefined;
    };
    if (this.server !== null) results.serverMetrics = await this.server.results(runId).catch(fail("server metrics"));
    if (this.gpu !== null) {
      const tokens = results.summary.metrics.find((m) => m.tag === "total_output_tokens")?.avg ?? null;
      results.gpuTelemetry = await this.gpu.results(runId, tokens).catch(fail("GPU telemetry"));
    }
    if (sliceNs !== null && results.perSlice.length > 0) await this.addSlices(runId, results, sliceNs).catch(fail("per-slice server metrics"));
    this.close();
  }

  private async addSlices(runId: string, results: RunResults, sliceNs: number): Promise<void> {
    const how = new Map<string, "gauge" | "ratio_gauge">();
    for (const r of results.serverMetrics?.named ?? []) if (r.how === "gauge" || r.how === "ratio_gauge") how.set(r.metric, r.how);
    const gauges = this.server === null ? [] : await this.server.gaugeSlices(runId, sliceNs, [...how.keys()]);
    const power = this.gpu === null ? [] : await this.gpu.powerSlices(runId, sliceNs);
    const extras = sliceExtras(results.perSlice, sliceNs, gauges, how, power);
    for (const s of results.perSlice) {
      const x = extras.get(s.index);
      if (x !== undefined) s.extra = x;
    }
  }

  /** Closes what is still open (also on the way out of a failed run). */
  close(): void {
    for (const s of [this.server, this.gpu]) {
      try {
        s?.close();
      } catch {
        // a half-open store on the way out of a failed run
      }
    }
    this.server = null;
    this.gpu = null;
  }
}
