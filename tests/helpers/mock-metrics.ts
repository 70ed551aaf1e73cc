// Reads the mock's Prometheus /metrics, so a test can wait for a state ("4 requests running")
// instead of sleeping for a guessed time. Every wait is bounded.

/** The value of a `vllm:*` metric (first sample), or 0 when absent. */
async function mockMetric(mockUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${mockUrl}/metrics`)).text();
  const m = new RegExp(`^${name.replace(/[.:]/g, (c) => `\\${c}`)}\\{[^}]*\\} (\\S+)`, "m").exec(text);
  return m ? Number(m[1]) : 0;
}

/** Resolves once the metric reaches `atLeast`; throws after `timeoutMs`. */
export async function waitForMetric(mockUrl: string, name: string, atLeast: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await mockMetric(mockUrl, name)) < atLeast) {
    if (Date.now() > deadline) throw new Error(`${name} never reached ${atLeast} within ${timeoutMs} ms`);
    await Bun.sleep(20);
  }
}
