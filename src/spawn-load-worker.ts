// Creates a load worker. Kept at src/ root, beside load-worker.ts, so the relative URL is the same
// in source runs and in the compiled binary.
export function spawnLoadWorker(): Worker {
  return new Worker(new URL("./load-worker.ts", import.meta.url).href);
}
