// Appenders written together and flushed at most every FLUSH_INTERVAL_MS: the bookkeeping the
// server-metrics and GPU-telemetry stores share. The first failed write (disk full) is told once
// through onError; later writes are dropped, and what was flushed before stays in the file.
import type { DuckDBAppender } from "@duckdb/node-api";

const FLUSH_INTERVAL_MS = 1000;

export class AppenderSet {
  private lastFlushMs = performance.now();
  private pending = false;
  private closed = false;
  private failed = false;
  /** A write failed: told once. */
  onError: (e: Error) => void = () => {};

  constructor(private readonly appenders: readonly DuckDBAppender[]) {}

  /** Runs `append` (rows into the appenders) unless closed or failed; flushes when the interval is up. */
  write(append: () => void): void {
    if (this.closed || this.failed) return;
    try {
      append();
    } catch (e) {
      this.fail(e);
      return;
    }
    this.pending = true;
    if (performance.now() - this.lastFlushMs >= FLUSH_INTERVAL_MS) this.flush();
  }

  flush(): void {
    if (this.closed || this.failed || !this.pending) return;
    try {
      for (const a of this.appenders) a.flushSync();
    } catch (e) {
      this.fail(e);
    }
    this.pending = false;
    this.lastFlushMs = performance.now();
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    for (const a of this.appenders) {
      try {
        a.closeSync();
      } catch {
        // rows a failed flush left behind are dropped with the appender
      }
    }
  }

  private fail(e: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.onError(e instanceof Error ? e : new Error(String(e)));
  }
}
