import { expect, test } from "bun:test";
import { parseProfileFlags } from "../../../src/config/profile-config.ts";
import { gpuTelemetryPlan } from "../../../src/run/gpu-telemetry-stage.ts";
import { metricsUrl, serverMetricsUrls, serverMetricsUrlOf } from "../../../src/run/server-metrics-stage.ts";

const problems = (raw: Record<string, unknown>): string[] => parseProfileFlags({ model: "m", ...raw } as never).problems;

test("--server-metrics and --gpu-telemetry take host:port or http(s) URLs (and nvidia-smi); one line naming the flag otherwise", () => {
  const cases: [Record<string, unknown>, RegExp | null][] = [
    [{ "server-metrics": ["node1:8081", "http://x:9090/metrics"] }, null],
    [{ "server-metrics": ["ftp://x"] }, /^--server-metrics must be host:port or an http\(s\) URL \(got "ftp:\/\/x"\)/],
    [{ "gpu-telemetry": ["nvidia-smi", "node2:9400"] }, null],
    [{ "gpu-telemetry": ["http://[bad"] }, /^--gpu-telemetry must be host:port or an http\(s\) URL or nvidia-smi/],
    [{ "server-metrics-interval": "0" }, /^--server-metrics-interval must be at least 0\.001/],
    [{ "server-metrics-interval": "301" }, /^--server-metrics-interval must be at most 300/],
  ];
  for (const [raw, want] of cases) {
    const p = problems(raw);
    if (want === null) expect(p).toEqual([]);
    else {
      expect(p.length).toBe(1);
      expect(p[0]).toMatch(want);
    }
  }
});

test("defaults: on, every 0.333 s (AIPerf's), no extra endpoints", () => {
  const { flags } = parseProfileFlags({ model: "m" });
  expect([flags.noServerMetrics, flags.serverMetricsInterval, flags.noGpuTelemetry, flags.serverMetrics, flags.gpuTelemetry]).toEqual([
    false,
    0.333,
    false,
    undefined,
    undefined,
  ]);
});

test("metrics URLs: /metrics added when there is no path; credentials never kept", () => {
  const cases: [string, string][] = [
    ["node1:8081", "http://node1:8081/metrics"],
    ["https://n/metrics", "https://n/metrics"],
    ["http://u:pw@n:1/custom", "http://n:1/custom"],
  ];
  for (const [raw, want] of cases) expect(metricsUrl(raw)).toBe(want);
  expect(serverMetricsUrlOf("http://u:pw@gw:8000/team/v1/chat/completions", "/v1/chat/completions")).toBe("http://gw:8000/team/metrics");
});

test("each --url's /metrics once, then --server-metrics; --no-server-metrics: none", () => {
  const cfg = {
    urls: ["http://a:8000/v1/chat/completions", "http://a:8000/v1/chat/completions", "http://b:8000/v1/chat/completions"],
    endpointType: "chat" as const,
    endpoint: undefined,
    serverMetrics: ["c:9090"],
    noServerMetrics: false,
  };
  expect(serverMetricsUrls(cfg)).toEqual(["http://a:8000/metrics", "http://b:8000/metrics", "http://c:9090/metrics"]);
  expect(serverMetricsUrls({ ...cfg, noServerMetrics: true })).toEqual([]);
});

test("GPU plan: AIPerf's default exporters tried quietly, given ones loudly; nvidia-smi keyword; off", () => {
  const base = { gpuTelemetry: undefined as string[] | undefined, noGpuTelemetry: false, serverMetricsInterval: 0.333 };
  const def = gpuTelemetryPlan(base)!;
  expect(def.urls).toEqual(["http://localhost:9400/metrics", "http://localhost:9401/metrics"]);
  expect([...def.quiet]).toEqual(def.urls);
  const given = gpuTelemetryPlan({ ...base, gpuTelemetry: ["localhost:9400", "n:9500"] })!;
  expect(given.urls).toEqual(["http://localhost:9400/metrics", "http://localhost:9401/metrics", "http://n:9500/metrics"]);
  expect([...given.quiet]).toEqual(["http://localhost:9401/metrics"]);
  expect(gpuTelemetryPlan({ ...base, gpuTelemetry: ["nvidia-smi"] })).toEqual({ urls: [], quiet: new Set(), smiOnly: true });
  expect(gpuTelemetryPlan({ ...base, noGpuTelemetry: true })).toBeNull();
});
