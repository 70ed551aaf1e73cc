// The GPU-telemetry stage of a profile run, as AIPerf: DCGM exporters at localhost:9400 and :9401 are
// always tried (quietly: absent ones cost one refused connection and are dropped), plus any
// --gpu-telemetry URL; when none answers and nvidia-smi is on PATH, nvidia-smi streams instead
// (`--gpu-telemetry nvidia-smi`: only nvidia-smi). --no-gpu-telemetry turns it all off. Readings go to
// the gpu_telemetry table; at the end, per-GPU statistics and the energy over the profiling window.
import type { ProfileConfig } from "../config/profile-config.ts";
import { dcgmReadings, energySummary, type GpuTelemetryResults } from "../metrics/gpu-telemetry.ts";
import { parsePrometheus } from "../metrics/prometheus-parse.ts";
import { GpuTelemetryStore, gpuEnergyDb, gpuMetricStatsDb, gpuPowerSlicesDb } from "../store/gpu-telemetry-db.ts";
import { MetricScraper, type ScrapeResult } from "./metric-scraper.ts";
import { NvidiaSmiSampler } from "./nvidia-smi-sampler.ts";
import { cannotWrite, metricsUrl, type ResultsDb, SCRAPE_TIMEOUT_MS } from "./server-metrics-stage.ts";

/** AIPerf's default DCGM endpoints (AIPERF_GPU_DEFAULT_DCGM_ENDPOINTS). */
export const DEFAULT_DCGM_URLS = ["http://localhost:9400/metrics", "http://localhost:9401/metrics"] as const;

/** How long the start waits for the exporters' first answer before deciding on nvidia-smi. */
const PROBE_WAIT_MS = 1000;

export const NVIDIA_SMI_KEYWORD = "nvidia-smi";

type GpuConfig = Pick<ProfileConfig, "gpuTelemetry" | "noGpuTelemetry" | "serverMetricsInterval">;

export interface GpuPlan {
  urls: string[];
  /** Default endpoints, tried quietly. */
  quiet: Set<string>;
  /** Use nvidia-smi only (keyword given). */
  smiOnly: boolean;
}

export function gpuTelemetryPlan(cfg: GpuConfig): GpuPlan | null {
  if (cfg.noGpuTelemetry) return null;
  // Validated by the flag's schema: host:port, http(s) URLs or the keyword.
  const values = cfg.gpuTelemetry ?? [];
  const smiOnly = values.includes(NVIDIA_SMI_KEYWORD);
  const user = values.filter((v) => v !== NVIDIA_SMI_KEYWORD).map(metricsUrl);
  if (smiOnly) return { urls: [], quiet: new Set(), smiOnly };
  const urls = [...new Set([...DEFAULT_DCGM_URLS, ...user])];
  return { urls, quiet: new Set(DEFAULT_DCGM_URLS.filter((u) => !user.includes(u))), smiOnly };
}

export class GpuTelemetryStage {
  private constructor(
    private readonly store: GpuTelemetryStore,
    private readonly scraper: MetricScraper | null,
    private readonly smi: NvidiaSmiSampler | null,
    private readonly show: boolean,
  ) {}

  /** Starts collecting; null when off or when nothing answers (then nothing was written). */
  static async start(
    cfg: GpuConfig,
    db: ResultsDb,
    runId: string,
    env: Readonly<Record<string, string | undefined>>,
    warn: (line: string) => void,
  ): Promise<GpuTelemetryStage | null> {
    const plan = gpuTelemetryPlan(cfg);
    if (plan === null) return null;
    let store: GpuTelemetryStore | null = null;
    const pending: ScrapeResult[] = [];
    const record = (r: ScrapeResult): void => {
      const readings = r.body === null ? [] : dcgmReadings(parsePrometheus(r.body).samples, new URL(r.url).hostname);
      store!.add(r.time_ns, r.phase, r.url, readings, {
        time_ns: r.time_ns,
        phase: r.phase,
        url: r.url,
        source: "gpu",
        ok: r.error === null,
        status: r.status,
        error: r.error,
        latency_ms: r.latency_ms,
        samples: readings.length,
        bytes: r.body?.length ?? 0,
      });
    };
    // Until the store exists (it is created only if something answers), scrapes wait here.
    const sink = (r: ScrapeResult): void => {
      if (store === null) pending.push(r);
      else record(r);
    };
    const intervalMs = cfg.serverMetricsInterval * 1000;
    let scraper: MetricScraper | null = null;
    if (plan.urls.length > 0) {
      scraper = new MetricScraper({ urls: plan.urls, quiet: plan.quiet, intervalMs, timeoutMs: SCRAPE_TIMEOUT_MS, sink, warn, what: "GPU telemetry" });
      scraper.start();
      await Promise.race([scraper.settled(), Bun.sleep(PROBE_WAIT_MS)]);
      if (scraper.activeUrls.length === 0) {
        scraper.abandon();
        scraper = null;
      }
    }
    let smi: NvidiaSmiSampler | null = null;
    if (scraper === null || scraper.answeredUrls.length === 0) {
      const path = Bun.which("nvidia-smi", { PATH: env.PATH ?? process.env.PATH ?? "" });
      if (path !== null) {
        // Exporters still silent keep being tried; nvidia-smi covers the GPUs meanwhile (the energy prefers an exporter's).
        smi = new NvidiaSmiSampler(path, intervalMs, (t, phase, readings) => store?.add(t, phase, "nvidia-smi", readings), warn);
      } else if (plan.smiOnly) {
        warn("GPU telemetry: --gpu-telemetry nvidia-smi, but nvidia-smi is not on PATH; no GPU telemetry");
      }
    }
    if (scraper === null && smi === null) return null;
    store = await GpuTelemetryStore.create(await db.connect(), runId);
    store.onError = (e) => warn(`GPU telemetry: ${cannotWrite(db.path, e)}; later readings are not stored`);
    for (const r of pending.splice(0)) record(r);
    smi?.start();
    return new GpuTelemetryStage(store, scraper, smi, (cfg.gpuTelemetry ?? []).length > 0);
  }

  phaseStarted(phase: "warmup" | "profiling"): void {
    this.scraper?.phaseStarted(phase);
    this.smi?.phaseStarted(phase);
  }

  async stop(): Promise<void> {
    await this.scraper?.stop();
    await this.smi?.stop();
    this.store.flush();
  }

  async results(runId: string, outputTokens: number | null): Promise<GpuTelemetryResults> {
    const conn = this.store.connection;
    const gpus = await gpuMetricStatsDb(conn, runId);
    const energy = energySummary(await gpuEnergyDb(conn, runId), outputTokens);
    const sources = [...(this.scraper?.answeredUrls ?? []), ...(this.smi !== null && this.smi.lineCount > 0 ? ["nvidia-smi"] : [])];
    return { sources, gpus, energy, show: this.show };
  }

  powerSlices(runId: string, sliceNs: number): Promise<{ bucket: number; powerW: number; gpus: number }[]> {
    return gpuPowerSlicesDb(this.store.connection, runId, sliceNs);
  }

  close(): void {
    // Stops collecting too, for a run that failed before stop().
    this.scraper?.abandon();
    this.smi?.kill();
    this.store.close();
    this.store.connection.closeSync();
  }
}
