// Creates a count worker. Kept at src/ root, beside count-worker.ts, so the relative URL is the same
// in source runs and in the compiled binary.
export function spawnCountWorker(): Worker {
  return new Worker(new URL("./count-worker.ts", import.meta.url).href);
}
