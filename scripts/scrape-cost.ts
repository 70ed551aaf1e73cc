// What one metrics scrape costs on the main thread: CPU per parse of the mock's /metrics and of a
// DCGM exporter's body, CPU per stored scrape (parse + rows appended to DuckDB), and the rows a
// run adds per minute at the default interval. Usage: npx bun scripts/scrape-cost.ts [scrapes]
import { DuckDBInstance } from "@duckdb/node-api";
import { dcgmReadings } from "../src/metrics/gpu-telemetry.ts";
import { parsePrometheus } from "../src/metrics/prometheus-parse.ts";
import { MockMetrics } from "../src/mock/mock-metrics.ts";
import { GpuTelemetryStore } from "../src/store/gpu-telemetry-db.ts";
import { ServerMetricsStore } from "../src/store/server-metrics-db.ts";
import { startFakeDcgm } from "../tests/helpers/fake-dcgm.ts";

const N = Number(process.argv[2] ?? 1000);
const DEFAULT_INTERVAL_S = 0.333;

function cpuMs(f: () => void): number {
  const a = process.cpuUsage();
  f();
  const b = process.cpuUsage(a);
  return (b.user + b.system) / 1000;
}

/** The mock's body mid-run: `models` models, requests running and waiting, histograms filled (10 models ~ a real vLLM's size). */
function mockBody(models: number): string {
  const names = Array.from({ length: models }, (_, i) => `mock-model-${i}`);
  const mm = new MockMetrics(names, { batchSlots: 8 });
  for (const name of names) {
    const m = mm.model(name);
    m.running = 8;
    m.waiting = 4;
    m.promptTokens = 123456;
    m.generationTokens = 654321;
    for (let i = 0; i < 1000; i++) {
      m.ttft.observe(0.01 + (i % 50) / 100);
      m.e2e.observe(0.5 + (i % 30) / 10);
    }
  }
  return mm.render();
}

async function dcgmBody(gpus: number): Promise<string> {
  const d = startFakeDcgm({ gpus, powerW: 300 });
  try {
    return await (await fetch(d.url)).text();
  } finally {
    d.stop();
  }
}

const bodies: [string, string][] = [
  ["mock /metrics (1 model)", mockBody(1)],
  ["mock /metrics (10 models)", mockBody(10)],
  ["stand-in DCGM (2 GPUs)", await dcgmBody(2)],
  ["stand-in DCGM (8 GPUs)", await dcgmBody(8)],
];

const inst = await DuckDBInstance.create(":memory:");
console.log(`scrapes per body: ${N}; default interval ${DEFAULT_INTERVAL_S} s (${Math.round(60 / DEFAULT_INTERVAL_S)} scrapes/min per endpoint)`);
for (const [name, body] of bodies) {
  const samples = parsePrometheus(body).samples.length;
  for (let i = 0; i < 50; i++) parsePrometheus(body); // warm the JIT
  const parseMs = cpuMs(() => {
    for (let i = 0; i < N; i++) parsePrometheus(body);
  });
  const conn = await inst.connect();
  let rows = samples;
  let storeMs: number;
  if (name.startsWith("mock")) {
    const st = await ServerMetricsStore.create(conn, `r-${name}`);
    storeMs = cpuMs(() => {
      for (let i = 0; i < N; i++) {
        const p = parsePrometheus(body);
        st.addScrape(
          {
            time_ns: i,
            phase: "profiling",
            url: "u",
            source: "server",
            ok: true,
            status: 200,
            error: null,
            latency_ms: 1,
            samples: p.samples.length,
            bytes: body.length,
          },
          p.samples,
          p.help,
        );
      }
      st.flush();
    });
    st.close();
  } else {
    const st = await GpuTelemetryStore.create(conn, `r-${name}`);
    rows = dcgmReadings(parsePrometheus(body).samples, "h").length;
    storeMs = cpuMs(() => {
      for (let i = 0; i < N; i++) {
        const readings = dcgmReadings(parsePrometheus(body).samples, "h");
        st.add(i, "profiling", "u", readings);
      }
      st.flush();
    });
    st.close();
  }
  conn.closeSync();
  console.log(
    `${name}: ${body.length} bytes, ${samples} samples; parse ${(parseMs / N).toFixed(3)} ms CPU; parse + store ${(storeMs / N).toFixed(3)} ms CPU per scrape; ${rows} rows per scrape = ${Math.round((rows * 60) / DEFAULT_INTERVAL_S).toLocaleString("en-US")} rows/min`,
  );
}
inst.closeSync();
