// Appends text lines to a file as they are produced (profile_export.jsonl, the log), buffered and
// written at least every FLUSH_INTERVAL_MS, so a killed run keeps all but the last moments.
// A failed write (disk full, I/O error) is reported once through `onError`; the file is cut back to
// its last whole line, so what was written stays readable, and nothing more is written.
import { closeSync, ftruncateSync, openSync, writeSync } from "node:fs";

const FLUSH_INTERVAL_MS = 500;
/** Buffered bytes that trigger a write before the timer. */
const HIGH_WATER = 1 << 20;
/** The buffer's size at first (bytes): the log writes a few KB a run; it grows to BUFFER_MAX. */
const BUFFER_START = 64 * 1024;
/** Its largest size (bytes): the high-water mark plus room for a ~21,000-unit line to fit before the flush it triggers. */
const BUFFER_MAX = HIGH_WATER + 64 * 1024;
/** UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units). */
const MAX_UTF8_PER_UNIT = 3;

// Each line is encoded into one reused buffer as it comes. Joining the buffered lines into one string
// and encoding that at each write (the way before) copied every line twice more: 12.2 vs 8.0 us a line
// of ~1.6 KB, flattening the line's rope and writing the file included (medians of 10 rounds of 20,000,
// one core, `bun scripts/bench.ts line-writer`). It runs on the storing thread for every record.
export class LineWriter {
  private readonly fd: number;
  private readonly timer: ReturnType<typeof setInterval>;
  private buf = Buffer.allocUnsafe(BUFFER_START);
  /** Bytes in `buf` not yet written, whole lines only. */
  private used = 0;
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
    const worst = text.length * MAX_UTF8_PER_UNIT;
    if (this.used + worst > this.buf.length && !this.makeRoom(worst)) {
      // Longer than the buffer can ever hold: written on its own, after what is buffered.
      if (this.flush()) this.writeOut(Buffer.from(text, "utf8"));
      return;
    }
    this.used += this.buf.write(text, this.used, "utf8");
    if (this.used >= HIGH_WATER) this.flush();
  }

  /** Room for `bytes` more in the buffer: what is buffered written out first if need be, the buffer grown up to BUFFER_MAX. False when it cannot hold them at all (or a write failed). */
  private makeRoom(bytes: number): boolean {
    if (this.used + bytes > BUFFER_MAX && !this.flush()) return false;
    const need = this.used + bytes;
    if (need <= this.buf.length) return true;
    if (need > BUFFER_MAX) return false;
    const grown = Buffer.allocUnsafe(Math.min(BUFFER_MAX, Math.max(need, this.buf.length * 2)));
    this.buf.copy(grown, 0, 0, this.used);
    this.buf = grown;
    return true;
  }

  /** Writes what is buffered; false once a write has failed. */
  flush(): boolean {
    if (this.failed) return false;
    const n = this.used;
    if (n === 0) return true;
    this.used = 0;
    return this.writeOut(this.buf.subarray(0, n));
  }

  /** Appends whole lines' bytes to the file; on failure cuts the file back to its last whole line and says so once. */
  private writeOut(data: Uint8Array): boolean {
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
