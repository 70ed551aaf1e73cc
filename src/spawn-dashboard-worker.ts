// Creates the dashboard thread. Kept at src/ root, beside dashboard-worker.ts, so the relative URL is the
// same in source runs and in the compiled binary.
export function spawnDashboardWorker(): Worker {
  return new Worker(new URL("./dashboard-worker.ts", import.meta.url).href);
}
