// GET /metrics: Prometheus text exposition.
import type { MockMetrics } from "../mock-metrics.ts";

export function handleMetrics(metrics: MockMetrics, requestId: string): Response {
  return new Response(metrics.render(), {
    status: 200,
    headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "x-request-id": requestId },
  });
}
