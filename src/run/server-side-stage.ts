// The server's side of a run as one stage for profile-run.ts: server metrics and GPU telemetry
// collectors started together, told of the phases, stopped after the last request, summarized into
// the run's results before the results file closes.
import type { DuckDBConnection } from "@duckdb/node-api";
import type { ProfileConfig } from "../config/profile-config.ts";
import type { RunResults } from "./exports.ts";
import { GpuTelemetryStage } from "./gpu-telemetry-stage.ts";
import { ServerMetricsStage } from "./server-metrics-stage.ts";

export class ServerSideStage {
  private constructor(
    private server: ServerMetricsStage | null,
    private gpu: GpuTelemetryStage | null,
    private readonly warn: (line: string) => void,
  ) {}

  static async start(
    cfg: ProfileConfig,
    conn: () => Promise<DuckDBConnection>,
    runId: string,
    env: Readonly<Record<string, string | undefined>>,
    warn: (line: string) => void,
  ): Promise<ServerSideStage> {
    const server = await ServerMetricsStage.start(cfg, conn, runId, warn);
    const gpu = await GpuTelemetryStage.start(cfg, conn, runId, env, warn);
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

  /** Adds the server metrics and GPU telemetry summaries to `results`, then closes the collectors' connections. */
  async summarize(runId: string, results: RunResults): Promise<void> {
    const fail = (what: string) => (e: unknown) => {
      this.warn(`${what}: no summary (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
      return undefined;
    };
    if (this.server !== null) results.serverMetrics = await this.server.results(runId).catch(fail("server metrics"));
    if (this.gpu !== null) {
      const tokens = results.summary.metrics.find((m) => m.tag === "total_output_tokens")?.avg ?? null;
      results.gpuTelemetry = await this.gpu.results(runId, tokens).catch(fail("GPU telemetry"));
    }
    this.close();
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
