// --record FILE: one JSON line per finished request. Lines are buffered and appended in batches
// by async writes, so recording never blocks the event loop per chunk or per request.
import { open, type FileHandle } from "node:fs/promises";
import type { Fault } from "./faults.ts";

export interface ChunkRecord {
  /** epochNs() taken immediately before the chunk was enqueued to the response. */
  sent_ns: number;
  tokens: number;
  /** Bytes of the whole SSE event ("data: ...\n\n"), or of the JSON body when not streaming. */
  bytes: number;
}

/** Never carries request headers, so no Authorization value or API key can leak into it. */
export interface MockRecord {
  request_id: string;
  path: string;
  model: string | null;
  stream: boolean;
  received_ns: number;
  headers_sent_ns: number | null;
  first_token_ns: number | null;
  end_ns: number;
  status: number;
  fault: Fault | null;
  prompt_tokens: number;
  completion_tokens: number;
  reasoning_tokens: number;
  max_tokens: number | null;
  chunks: ChunkRecord[];
  client_disconnected: boolean;
}

const FLUSH_BYTES = 256 * 1024;
const FLUSH_DELAY_MS = 100;

export class Recorder {
  private lines: string[] = [];
  private bufferedBytes = 0;
  private writing: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private error: unknown = null;
  private closed = false;

  private constructor(private readonly file: FileHandle) {}

  /** Opens (creating if needed) `path` for appending; fails early on a bad path. */
  static async open(path: string): Promise<Recorder> {
    return new Recorder(await open(path, "a"));
  }

  write(rec: MockRecord): void {
    if (this.closed) return;
    const line = JSON.stringify(rec) + "\n";
    this.lines.push(line);
    this.bufferedBytes += line.length;
    if (this.bufferedBytes >= FLUSH_BYTES) void this.flush();
    else if (this.timer === null) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
      this.timer.unref?.();
    }
  }

  /** Resolves once every line written so far is in the file. */
  flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.lines.length > 0) {
      const data = this.lines.join("");
      this.lines = [];
      this.bufferedBytes = 0;
      this.writing = this.writing.then(async () => {
        try {
          await this.file.write(data);
        } catch (e) {
          this.error ??= e;
        }
      });
    }
    return this.writing;
  }

  /** Flushes, closes the file and rethrows the first write error, if any. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await this.file.close();
    if (this.error !== null) throw this.error;
  }
}
