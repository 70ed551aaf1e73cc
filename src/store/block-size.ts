// The block size of a run's results file, from how many rows the run can store at most.
// DuckDB keeps a block per column while it checkpoints (and per column segment in memory before), so
// at its default 256 KiB the close of a 16-request run lifted the process's peak by ~10-12 MiB, a
// sixth of what the run's storage adds. Small blocks compress worse once tables grow; with 20 chunk
// rows a request, 1,000 requests made 0.90 MiB at 16 KiB and 1.26 at 256 KiB, 10,000 made 4.96 against
// 2.51, 50,000 made 23.1 against 10.3 (`BENCH_BLOCK_BYTES=16384 bun scripts/bench-store.ts 10000 --ingest-only`).

/** Runs bounded at this many requests or fewer (warmup included) may get small blocks... */
export const SMALL_RUN_MAX_REQUESTS = 1_000;
/** ...when their chunk rows stay within this many too (1,000 requests of 20 chunks: smaller at 16 KiB). */
export const SMALL_RUN_MAX_CHUNK_ROWS = 20_000;
/** DuckDB's smallest block size. */
export const SMALL_BLOCK_BYTES = 16_384;

/**
 * Block size for a run that stores at most `maxRequests` requests of at most `chunksPerRequest` chunk
 * rows each (null: unbounded, or not known); undefined keeps DuckDB's.
 */
export function blockBytesFor(maxRequests: number | null, chunksPerRequest: number | null): number | undefined {
  if (maxRequests === null || chunksPerRequest === null) return undefined;
  return maxRequests <= SMALL_RUN_MAX_REQUESTS && maxRequests * chunksPerRequest <= SMALL_RUN_MAX_CHUNK_ROWS ? SMALL_BLOCK_BYTES : undefined;
}
