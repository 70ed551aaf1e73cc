// The built-in mock server: `llmbench mock`, the demo target and the test fixture.
import { epochNs, monoMs } from "../runtime/clock.ts";
import { BatchDriver } from "./batch-driver.ts";
import type { MockContext, RequestMeta } from "./context.ts";
import { errorResponse } from "./http.ts";
import { MockMetrics } from "./mock-metrics.ts";
import { resolveMockOptions, type MockOptions } from "./mock-options.ts";
import { Recorder } from "./recorder.ts";
import { handleEmbeddings } from "./routes/embeddings.ts";
import { GENERATE_ROUTES, handleGenerate } from "./routes/generate.ts";
import { handleRerank, RERANK_ROUTES } from "./routes/rerank.ts";
import { handleHealth } from "./routes/health.ts";
import { handleMetrics } from "./routes/metrics.ts";
import { handleModels } from "./routes/models.ts";
import { requestRng } from "./seeded-rng.ts";

export interface MockServerHandle {
  /** "http://HOST:PORT" (IPv6 hosts bracketed). */
  url: string;
  port: number;
  /** Stops accepting, ends open streams (without [DONE]), flushes and closes the record file. */
  stop(): Promise<void>;
}

/** Longer client ids are cut so a hostile header cannot bloat every record line. */
const MAX_REQUEST_ID_CHARS = 200;

export async function startMockServer(partial: Partial<MockOptions> = {}): Promise<MockServerHandle> {
  const opts = resolveMockOptions(partial);
  const recorder = opts.recordPath !== null ? await Recorder.open(opts.recordPath) : null;
  const ctx: MockContext = {
    opts,
    metrics: new MockMetrics(opts.models, { batchSlots: opts.maxBatchSize > 0 ? opts.maxBatchSize : null }),
    recorder,
    driver: opts.maxBatchSize > 0 ? new BatchDriver(opts.maxBatchSize, opts.stepMs) : null,
    active: new Set(),
    responseCounter: 0,
  };
  const createdS = Math.floor(Date.now() / 1000);
  // Arrival order of API requests: request i draws from requestRng(seed, i).
  let requestIndex = 0;
  let stopping = false;

  const server = Bun.serve({
    hostname: opts.host,
    port: opts.port,
    // Stalls and long queues legitimately send nothing for longer than Bun's 10 s default.
    idleTimeout: 0,
    development: false,
    // development: false turns SO_REUSEPORT on by default: a second mock on a taken port would then
    // start and split the traffic with the first. One server per port.
    reusePort: false,
    fetch(req): Response | Promise<Response> {
      const url = new URL(req.url);
      const path = url.pathname;
      const requestId = (req.headers.get("x-request-id") || crypto.randomUUID()).slice(0, MAX_REQUEST_ID_CHARS);
      if (stopping) return errorResponse(503, "mock server is shutting down", requestId);
      const generate = GENERATE_ROUTES[path];
      const rerank = RERANK_ROUTES[path];
      if (generate !== undefined || rerank !== undefined || path === "/v1/embeddings") {
        if (req.method !== "POST") return errorResponse(405, `${req.method} not allowed on ${path}`, requestId, null, { allow: "POST" });
        const meta: RequestMeta = {
          requestId,
          path,
          receivedNs: epochNs(),
          receivedMs: monoMs(),
          rng: requestRng(opts.seed, requestIndex++),
        };
        if (generate !== undefined) return handleGenerate(ctx, meta, req, generate);
        if (rerank !== undefined) return handleRerank(ctx, meta, req, rerank);
        return handleEmbeddings(ctx, meta, req);
      }
      if (req.method !== "GET" && req.method !== "HEAD") {
        return errorResponse(405, `${req.method} not allowed on ${path}`, requestId, null, { allow: "GET" });
      }
      switch (path) {
        case "/v1/models":
          return handleModels(opts.models, createdS, requestId);
        case "/health":
          return handleHealth(requestId);
        case "/metrics":
          return handleMetrics(ctx.metrics, requestId);
        default:
          return errorResponse(404, `no route for ${path}`, requestId);
      }
    },
    error(err): Response {
      return errorResponse(500, `mock server error: ${err instanceof Error ? err.message : String(err)}`, "unknown");
    },
  });

  const port = server.port ?? opts.port;
  const host = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  let stopped: Promise<void> | null = null;

  return {
    url: `http://${host}:${port}`,
    port,
    stop(): Promise<void> {
      stopped ??= (async () => {
        stopping = true;
        ctx.driver?.stop();
        for (const a of [...ctx.active]) a.shutdown();
        await server.stop(true);
        await recorder?.close();
      })();
      return stopped;
    },
  };
}
