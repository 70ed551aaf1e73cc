// The value schema of --server-metrics and --gpu-telemetry: metrics endpoints as host:port or
// http(s) URLs, plus the keywords a flag also takes (--gpu-telemetry nvidia-smi).
import { ark, lazy } from "./ark.ts";

export const metricsEndpoints = (...keywords: string[]) =>
  lazy(() =>
    ark()
      .type("string[]")
      .pipe((values, ctx) => {
        for (const v of values) {
          if (keywords.includes(v)) continue;
          let u: URL | null = null;
          try {
            u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `http://${v}`);
          } catch {
            u = null;
          }
          if (u === null || (u.protocol !== "http:" && u.protocol !== "https:"))
            return ctx.error(`host:port or an http(s) URL${keywords.length > 0 ? ` or ${keywords.join(", ")}` : ""} (got "${v}")`);
        }
        return values;
      }),
  );
