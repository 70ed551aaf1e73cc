// The main thread's side of the dashboard thread (report/dashboard-thread-main.ts): finished requests
// go into a LiveSampleBuffer (a few number stores each), and every frame interval one message carries
// them with the run's status. Rendering, diffing and writing happen on that thread, under SCHED_IDLE.
// close() is synchronous (it runs from exit handlers): it closes the write lock for good, so no frame
// can land after the normal screen is restored.
import type { RecordValues } from "../metrics/record-values.ts";
import type { RequestRecord } from "../record/request-record.ts";
import { type DashboardIn, type DashboardOut, type DashboardTick, LOCK_CLOSED, LOCK_OPEN } from "../report/dashboard-thread-main.ts";
import type { Glyphs } from "../report/live-format.ts";
import { LiveSampleBuffer } from "../report/live-sample.ts";
import type { LiveFrameSource } from "../report/live-state.ts";
import { LEAVE_SCREEN } from "../report/screen.ts";
import type { IdleResult } from "../runtime/thread-priority.ts";
import { spawnDashboardWorker } from "../spawn-dashboard-worker.ts";

/** How long start() waits for the thread to come up before the caller draws on the main thread instead. */
const READY_TIMEOUT_MS = 5000;
/** How long close() waits for a frame being written to finish before restoring the screen anyway. */
const CLOSE_WAIT_MS = 250;

export interface DashboardThreadOptions {
  src: LiveFrameSource;
  startNs: number;
  /** The terminal's file descriptor (stderr: 2). */
  fd: number;
  color: boolean;
  glyphs: Glyphs;
  /** Writes the restore sequence on the main thread (the same terminal). */
  write: (text: string) => void;
}

/** What one tick tells the thread besides the requests: the tick message without its framing. */
export type DashboardStatus = Omit<DashboardTick, "type" | "batch" | "invalidate">;

export class DashboardThread {
  private readonly samples = new LiveSampleBuffer();
  private invalidateNext = false;
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    private readonly lock: Int32Array,
    private readonly write: (text: string) => void,
    /** Whether the thread got SCHED_IDLE. */
    readonly idle: IdleResult,
  ) {}

  /** Spawns the thread and enters the alternate screen; null when the thread could not start. */
  static async start(o: DashboardThreadOptions): Promise<DashboardThread | null> {
    let worker: Worker;
    try {
      worker = spawnDashboardWorker();
    } catch {
      return null;
    }
    const lockBuffer = new SharedArrayBuffer(4);
    const ready = new Promise<IdleResult | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), READY_TIMEOUT_MS);
      worker.onmessage = (e: MessageEvent<DashboardOut>) => {
        clearTimeout(timer);
        resolve(e.data.idle);
      };
      worker.onerror = () => {
        clearTimeout(timer);
        resolve(null);
      };
    });
    const start: DashboardIn = { type: "start", src: o.src, startNs: o.startNs, fd: o.fd, lock: lockBuffer, color: o.color, glyphs: o.glyphs };
    worker.postMessage(start);
    const idle = await ready;
    if (idle === null) {
      worker.terminate();
      return null;
    }
    // The thread must not keep the process alive once the run is over.
    worker.unref();
    return new DashboardThread(worker, new Int32Array(lockBuffer), o.write, idle);
  }

  /** A finished request (RecordSink). */
  add(r: RequestRecord, values: RecordValues): void {
    if (!this.closed) this.samples.add(r, values);
  }

  /** The next frame rewrites every row. */
  invalidate(): void {
    this.invalidateNext = true;
  }

  /** Sends what finished since the last tick and the status; the thread draws a frame from it. */
  tick(status: DashboardStatus): void {
    if (this.closed) return;
    const batch = this.samples.take();
    const msg: DashboardIn = { type: "tick", batch, ...status, invalidate: this.invalidateNext };
    this.invalidateNext = false;
    this.worker.postMessage(msg, { transfer: [batch.values.buffer as ArrayBuffer] });
  }

  /** Stops drawing for good and restores the normal screen and cursor. Synchronous; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Wait out a frame being written (bounded: a stalled terminal must not hang the exit).
    const deadline = performance.now() + CLOSE_WAIT_MS;
    while (Atomics.compareExchange(this.lock, 0, LOCK_OPEN, LOCK_CLOSED) !== LOCK_OPEN && performance.now() < deadline) {
      if (Atomics.load(this.lock, 0) === LOCK_CLOSED) break;
    }
    Atomics.store(this.lock, 0, LOCK_CLOSED);
    this.worker.terminate();
    this.write(LEAVE_SCREEN);
  }
}
