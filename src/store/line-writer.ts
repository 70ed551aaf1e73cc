// Appends text lines to a file as they are produced (profile_export.jsonl, the log), buffered and
// written at least every FLUSH_INTERVAL_MS, so a killed run keeps all but the last moments.
// A failed write (disk full, I/O error) is reported once through `onError`; the file is cut back to
// its last whole line, so what was written stays readable, and nothing more is written.
import { closeSync, ftruncateSync, openSync, writeSync } from "node:fs";

const FLUSH_INTERVAL_MS = 500;
/** Buffered bytes (approximately, in UTF-16 units) that trigger a write before the timer. */
const HIGH_WATER = 1 << 20;

export class LineWriter {
  private readonly fd: number;
  private readonly timer: ReturnType<typeof setInterval>;
  private buffer: string[] = [];
  private buffered = 0;
  /** Bytes known to be in the file, all of them whole lines. */
  private size = 0;
  private closed = false;
  private failed = false;

  constructor(
    readonly path: string,
    private readonly onError: (e: Error, path: string) => void = () => {},
  ) {
    this.fd = openSync(path, "w");
    this.timer = setInterval(() => this.flush(), FLUSH_INTERVAL_MS);
  }

  write(line: string): void {
    if (this.closed || this.failed) return;
    const text = line.endsWith("\n") ? line : `${line}\n`;
    this.buffer.push(text);
    this.buffered += text.length;
    if (this.buffered >= HIGH_WATER) this.flush();
  }

  /** Writes what is buffered; false once a write has failed. */
  flush(): boolean {
    if (this.failed) return false;
    if (this.buffer.length === 0) return true;
    const data = Buffer.from(this.buffer.join(""));
    this.buffer = [];
    this.buffered = 0;
    try {
      let off = 0;
      while (off < data.length) off += writeSync(this.fd, data, off, data.length - off, this.size + off);
      this.size += data.length;
      return true;
    } catch (e) {
      this.failed = true;
      try {
        ftruncateSync(this.fd, this.size); // drop a partly written last line
      } catch {
        // the file keeps a cut last line; readers skip it
      }
      this.onError(e instanceof Error ? e : new Error(String(e)), this.path);
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    clearInterval(this.timer);
    closeSync(this.fd);
  }
}
