// Appends text lines to a file as they are produced (profile_export.jsonl, the log), buffered by
// Bun's FileSink and flushed on a timer, so a killed run keeps all but the last moments.
import type { FileSink } from "bun";

const FLUSH_INTERVAL_MS = 500;

export class LineWriter {
  private readonly sink: FileSink;
  private readonly timer: ReturnType<typeof setInterval>;
  private closed = false;

  constructor(path: string) {
    this.sink = Bun.file(path).writer({ highWaterMark: 1 << 20 });
    this.timer = setInterval(() => void this.sink.flush(), FLUSH_INTERVAL_MS);
  }

  write(line: string): void {
    if (this.closed) return;
    this.sink.write(line.endsWith("\n") ? line : `${line}\n`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.sink.end();
  }
}
