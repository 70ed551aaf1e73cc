// Body of the dashboard thread: the main thread hands it the finished requests' numbers and the run's
// status a few times a second (see run/dashboard-thread.ts); it keeps its own LiveStats, renders, diffs
// and writes the frame to the terminal itself. It runs under SCHED_IDLE, so drawing takes the
// timestamping thread's core only when that core has nothing else to do.
import { writeSync } from "node:fs";
import { idleThisThread, type IdleResult } from "../runtime/thread-priority.ts";
import { dashboardLines, type DashboardOptions } from "./dashboard-view.ts";
import { replayLiveSamples, type LiveSampleBatch } from "./live-sample.ts";
import { type LiveFrameSource, LiveStateBuilder, type LiveState } from "./live-state.ts";
import { LiveStats } from "./live-stats.ts";
import { Screen } from "./screen.ts";
import type { Glyphs } from "./live-format.ts";

/** Lock word states (Int32Array over a SharedArrayBuffer): the main thread closes it for good before it restores the screen. */
export const LOCK_OPEN = 0;
export const LOCK_WRITING = 1;
export const LOCK_CLOSED = 2;

/** Even with nothing changed, every row is rewritten this often (stray terminal echo is wiped). */
const FULL_REDRAW_MS = 5000;
/** Error kinds the snapshot keeps (the view shows as many as fit). */
const TOP_ERRORS = 10;
/** How long one frame may wait for a full terminal (non-blocking fd) before it is dropped. */
const WRITE_PATIENCE_MS = 100;

export interface DashboardStart {
  type: "start";
  src: LiveFrameSource;
  startNs: number;
  fd: number;
  lock: SharedArrayBuffer;
  color: boolean;
  glyphs: Glyphs;
}

export interface DashboardTick {
  type: "tick";
  batch: LiveSampleBatch;
  nowNs: number;
  inFlight: number;
  stopping: LiveState["stopping"];
  logs: readonly string[];
  width: number;
  height: number;
  /** Rewrite every row (after a resize, or when something else wrote to the terminal). */
  invalidate: boolean;
}

export type DashboardIn = DashboardStart | DashboardTick;
export type DashboardOut = { type: "ready"; idle: IdleResult };

export interface DashboardPort {
  post(msg: DashboardOut): void;
  onMessage(handler: (msg: DashboardIn) => void): void;
}

export function startDashboardThread(port: DashboardPort): void {
  const idle = idleThisThread();
  const stats = new LiveStats();
  let view: { screen: Screen; builder: LiveStateBuilder; color: boolean; glyphs: Glyphs } | null = null;
  let lastFullRedrawMs = 0;
  port.onMessage((msg) => {
    if (msg.type === "start") {
      const screen = new Screen(lockedWriter(msg.fd, new Int32Array(msg.lock)));
      view = { screen, builder: new LiveStateBuilder(msg.src, msg.startNs), color: msg.color, glyphs: msg.glyphs };
      screen.enter();
      port.post({ type: "ready", idle });
      return;
    }
    replayLiveSamples(stats, msg.batch);
    if (view === null) return;
    const now = performance.now();
    if (msg.invalidate || now - lastFullRedrawMs >= FULL_REDRAW_MS) {
      view.screen.invalidate();
      lastFullRedrawMs = now;
    }
    const state = view.builder.build(stats.snapshot(msg.nowNs, msg.width, TOP_ERRORS), msg.nowNs, msg.inFlight, msg.stopping, msg.logs);
    const o: DashboardOptions = { width: msg.width, height: msg.height, color: view.color, glyphs: view.glyphs };
    view.screen.frame(dashboardLines(state, o), msg.width, msg.height);
  });
}

/** Writes whole frames to `fd` while the lock is open; once the main thread closes it, nothing more. */
function lockedWriter(fd: number, lock: Int32Array): (text: string) => void {
  const nap = new Int32Array(new SharedArrayBuffer(4));
  return (text) => {
    if (Atomics.compareExchange(lock, 0, LOCK_OPEN, LOCK_WRITING) !== LOCK_OPEN) return;
    try {
      const data = Buffer.from(text);
      let off = 0;
      const deadline = performance.now() + WRITE_PATIENCE_MS;
      while (off < data.length) {
        try {
          off += writeSync(fd, data, off, data.length - off);
        } catch (e) {
          // A terminal that is not keeping up (non-blocking fd): wait a little, then drop the rest.
          if ((e as NodeJS.ErrnoException).code !== "EAGAIN" || performance.now() > deadline) return;
          Atomics.wait(nap, 0, 0, 2);
        }
      }
    } finally {
      Atomics.store(lock, 0, LOCK_OPEN);
    }
  };
}
