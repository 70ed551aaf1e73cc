// A stand-in DCGM exporter for tests: N GPUs drawing a constant power, their energy counters
// (DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION, mJ) rising by exactly power x elapsed time between renders.

export interface FakeDcgm {
  url: string;
  /** Scrapes answered so far. */
  scrapes: () => number;
  stop: () => void;
}

export function startFakeDcgm(o: { gpus: number; powerW: number; host?: string }): FakeDcgm {
  const t0 = performance.now();
  const host = o.host ?? "fake-gpu-host";
  let scrapes = 0;
  const render = (): string => {
    const elapsedMs = performance.now() - t0;
    const lines: string[] = [];
    const field = (name: string, type: string, value: (i: number) => string) => {
      lines.push(`# HELP ${name} ${name}.`, `# TYPE ${name} ${type}`);
      for (let i = 0; i < o.gpus; i++)
        lines.push(`${name}{gpu="${i}",UUID="GPU-fake-${i}",device="nvidia${i}",modelName="NVIDIA Fake H100",Hostname="${host}"} ${value(i)}`);
    };
    field("DCGM_FI_DEV_SM_CLOCK", "gauge", () => "1980");
    field("DCGM_FI_DEV_GPU_TEMP", "gauge", (i) => String(40 + i));
    field("DCGM_FI_DEV_POWER_USAGE", "gauge", () => o.powerW.toFixed(3));
    // W x ms = mJ; a large starting value as on a real GPU that has been up for a while.
    field("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "counter", () => String(Math.round(5e9 + o.powerW * elapsedMs)));
    field("DCGM_FI_DEV_GPU_UTIL", "gauge", () => "87");
    field("DCGM_FI_DEV_FB_USED", "gauge", () => "40000");
    field("DCGM_FI_DEV_CLOCK_THROTTLE_REASONS", "gauge", () => "0");
    return `${lines.join("\n")}\n`;
  };
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (req) => {
      if (new URL(req.url).pathname !== "/metrics") return new Response("not found", { status: 404 });
      scrapes++;
      return new Response(render(), { headers: { "content-type": "text/plain; version=0.0.4" } });
    },
  });
  return { url: `http://127.0.0.1:${server.port}/metrics`, scrapes: () => scrapes, stop: () => void server.stop(true) };
}

/** A fake `nvidia-smi` for PATH: answers the --query-gpu loop (-lms N) with `gpus` GPUs at `powerW`. */
export function fakeNvidiaSmiScript(o: { gpus: number; powerW: number }): string {
  const rows = Array.from(
    { length: o.gpus },
    (_, i) => `echo "${i}, GPU-smi-${i}, Fake GPU, ${o.powerW.toFixed(2)}, 50, 10, 1000, 81920, 1980, 1593, ${40 + i}, 0x0000000000000004"`,
  );
  return `#!/bin/sh
# Stand-in for nvidia-smi --query-gpu=... --format=csv,noheader,nounits -lms N
ms=333
prev=""
for a in "$@"; do
  if [ "$prev" = "-lms" ]; then ms=$a; fi
  prev=$a
done
secs=$(awk "BEGIN { printf \\"%.3f\\", $ms / 1000 }")
while true; do
${rows.map((r) => `  ${r}`).join("\n")}
  sleep "$secs"
done
`;
}
