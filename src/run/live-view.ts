// What the user watches during a run (--ui): the full-screen dashboard, one progress line, a heartbeat
// line every few seconds when stderr is not a terminal, or nothing. All of it runs on this (the main)
// thread on a timer, a few frames a second at most; the load workers never wait for it.
//
// LiveView.io is the Io the rest of the run writes through: while the dashboard is up, messages go
// into it (and are printed after the normal screen is back) instead of tearing the screen; while a
// progress line is up, a message first erases it. exit() (a second Ctrl-C) restores the terminal first.
import { splitUrlCredentials } from "../client/url-credentials.ts";
import type { ProfileConfig } from "../config/profile-config.ts";
import type { SharedState } from "../engine/shared-state.ts";
import type { DashboardOptions } from "../report/dashboard-view.ts";
import { glyphsFor, type Glyphs } from "../report/live-format.ts";
import { LiveStateBuilder, type LivePlan, type LiveState } from "../report/live-state.ts";
import type { LiveStats } from "../report/live-stats.ts";
import { heartbeatLine, progressLine } from "../report/progress-line.ts";
import type { Screen } from "../report/screen.ts";
import { epochNs } from "../runtime/clock.ts";
import type { Io } from "../runtime/io.ts";
import type { RecordValues } from "../metrics/record-values.ts";
import type { RequestRecord } from "../record/request-record.ts";
import type { RecordSink } from "./sinks.ts";
import type { DashboardThread } from "./dashboard-thread.ts";

export type UiMode = ProfileConfig["ui"];

/** Dashboard frames and progress-line redraws: at most four a second. */
export const FRAME_INTERVAL_MS = 250;
/** Heartbeat lines when stderr is not a terminal. */
export const HEARTBEAT_INTERVAL_MS = 5000;
/** Even with nothing changed, every row is rewritten this often (stray terminal echo is wiped). */
const FULL_REDRAW_MS = 5000;
/** Smallest terminal the dashboard runs in; below it, the progress line. */
const MIN_COLUMNS = 40;
const MIN_ROWS = 10;
/** Messages kept for the dashboard and for printing after it (the run's log file has them all). */
const MAX_HELD_MESSAGES = 500;
/** The dashboard asks for this many error kinds (it shows as many as fit). */
const TOP_ERRORS = 10;

export interface LiveSources {
  shared: Pick<SharedState, "inFlight" | "stopped" | "cancelled">;
  stats: LiveStats;
  plan: LivePlan;
  /** Model and URL. */
  title: string;
  streaming: boolean;
}

/** The live view's inputs for a run of `cfg` expected to send `profilingRequests` (when bounded by count); `label` leads the title. */
export function liveSources(cfg: ProfileConfig, shared: LiveSources["shared"], stats: LiveStats, profilingRequests: number, label?: string): LiveSources {
  const url = cfg.urls[0] === undefined ? "" : splitUrlCredentials(cfg.urls[0]).url;
  const more = cfg.urls.length > 1 ? ` (+${cfg.urls.length - 1} more)` : "";
  return {
    shared,
    stats,
    title: `${label ? `${label}  ` : ""}${cfg.models.join(", ")}  ${url}${more}`,
    streaming: cfg.streaming,
    plan: {
      warmup: cfg.warmupRequestCount > 0 || cfg.warmupDuration !== undefined,
      warmupTotal: cfg.warmupDuration === undefined ? cfg.warmupRequestCount : null,
      warmupDurationMs: cfg.warmupDuration === undefined ? null : cfg.warmupDuration * 1000,
      profilingTotal: cfg.benchmarkDuration === undefined ? profilingRequests : null,
      profilingDurationMs: cfg.benchmarkDuration === undefined ? null : cfg.benchmarkDuration * 1000,
    },
  };
}

const SGR_RE = /\x1b\[[0-9;]*m/g;

const stoppingOf = (s: LiveSources["shared"]): LiveState["stopping"] => (s.cancelled ? "cancelling" : s.stopped ? "stopping" : null);

type Mode = "dashboard" | "line" | "heartbeat" | "off";

interface DashboardParts {
  screen: Screen;
  render: (s: LiveState, o: DashboardOptions) => string[];
}

export class LiveView {
  readonly io: Io;
  private mode: Mode = "off";
  private sources: LiveSources | null = null;
  private startNs = 0;
  private builder: LiveStateBuilder | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private drawMode: () => void = () => {};
  private readonly undo: (() => void)[] = [];
  private dashboard: DashboardParts | null = null;
  /** The dashboard drawn by its own thread (a real terminal); null when drawn here. */
  private thread: DashboardThread | null = null;
  private lastFullRedraw = 0;
  private lineShown = false;
  private readonly glyphs: Glyphs;
  /** Messages written while the dashboard was up: shown in it, printed after it. */
  private held: string[] = [];
  private heldDropped = 0;
  private recent: string[] = [];

  constructor(private readonly base: Io) {
    this.glyphs = glyphsFor(base.env);
    this.io = {
      ...base,
      err: (text) => this.err(text),
      exit: (code) => {
        this.stop();
        base.exit(code);
      },
    };
  }

  /** Starts the view `ui` asks for, as far as stderr allows (no terminal: a heartbeat instead). */
  async start(ui: UiMode, sources: LiveSources): Promise<void> {
    if (this.mode !== "off" || ui === "none") return;
    this.sources = sources;
    this.startNs = epochNs();
    const size = this.base.stderrSize?.() ?? null;
    if (!this.base.stderrIsTTY) return this.every(HEARTBEAT_INTERVAL_MS, "heartbeat", () => this.heartbeat());
    const fits = size !== null && size.columns >= MIN_COLUMNS && size.rows >= MIN_ROWS && this.base.env.TERM !== "dumb";
    if (ui !== "dashboard" || !fits) return this.every(FRAME_INTERVAL_MS, "line", () => this.drawLine());
    if (this.base.stderrFd !== undefined && (await this.startThread(sources, this.base.stderrFd))) return;
    // Loaded only now: --help and runs without the dashboard never evaluate it.
    const [{ dashboardLines }, { Screen }] = await Promise.all([import("../report/dashboard-view.ts"), import("../report/screen.ts")]);
    const screen = new Screen((t) => this.base.err(t));
    this.dashboard = { screen, render: dashboardLines };
    screen.enter();
    const redraw = (): void => {
      screen.invalidate();
      this.drawDashboard();
    };
    if (this.base.onResize) this.undo.push(this.base.onResize(redraw));
    // The terminal echoes ^C where the cursor is: the next frame rewrites every row.
    this.undo.push(this.base.onSignal(() => screen.invalidate()));
    if (this.base.onExit) this.undo.push(this.base.onExit(() => screen.leave()));
    this.every(FRAME_INTERVAL_MS, "dashboard", () => this.drawDashboard());
    this.drawDashboard();
  }

  /** The dashboard on its own thread (see dashboard-thread.ts); false when that thread could not start. */
  private async startThread(sources: LiveSources, fd: number): Promise<boolean> {
    const { DashboardThread } = await import("./dashboard-thread.ts");
    const thread = await DashboardThread.start({
      src: sources,
      startNs: this.startNs,
      fd,
      color: !this.base.env.NO_COLOR,
      glyphs: this.glyphs,
      write: (t) => this.base.err(t),
    });
    if (thread === null) return false;
    this.thread = thread;
    if (this.base.onResize) this.undo.push(this.base.onResize(() => thread.invalidate()));
    this.undo.push(this.base.onSignal(() => thread.invalidate()));
    if (this.base.onExit) this.undo.push(this.base.onExit(() => thread.close()));
    this.every(FRAME_INTERVAL_MS, "dashboard", () => this.tickThread());
    this.tickThread();
    return true;
  }

  private tickThread(): void {
    const t = this.thread;
    const src = this.sources;
    const size = this.base.stderrSize?.() ?? null;
    if (t === null || src === null || size === null) return;
    t.tick({ nowNs: epochNs(), inFlight: src.shared.inFlight, stopping: stoppingOf(src.shared), logs: this.recent, width: size.columns, height: size.rows });
  }

  /**
   * The sink that feeds the live view: into `stats` on this thread, or, while the dashboard has its own
   * thread, a few numbers per request handed to it.
   */
  recordSink(stats: LiveStats): RecordSink {
    return {
      add: (r: RequestRecord, values: RecordValues) => {
        if (this.thread !== null) this.thread.add(r, values);
        else stats.add(r, values);
      },
    };
  }

  private every(ms: number, mode: Mode, draw: () => void): void {
    this.mode = mode;
    this.drawMode = draw;
    this.timer = setInterval(draw, ms);
    this.timer.unref?.();
  }

  /** Draws the current frame, line or heartbeat now (the timer does it on its own). */
  draw(): void {
    if (this.mode !== "off") this.drawMode();
  }

  /** The view's state now (public for tests). */
  state(nowNs = epochNs()): LiveState | null {
    const src = this.sources;
    if (src === null) return null;
    this.builder ??= new LiveStateBuilder(src, this.startNs);
    const columns = this.base.stderrSize?.()?.columns ?? 80;
    const snap = src.stats.snapshot(nowNs, columns, TOP_ERRORS);
    return this.builder.build(snap, nowNs, src.shared.inFlight, stoppingOf(src.shared), this.recent);
  }

  private drawDashboard(): void {
    const d = this.dashboard;
    const size = this.base.stderrSize?.() ?? null;
    const s = this.state();
    if (d === null || size === null || s === null) return;
    const now = performance.now();
    if (now - this.lastFullRedraw >= FULL_REDRAW_MS) {
      d.screen.invalidate();
      this.lastFullRedraw = now;
    }
    const color = !this.base.env.NO_COLOR;
    d.screen.frame(d.render(s, { width: size.columns, height: size.rows, color, glyphs: this.glyphs }), size.columns, size.rows);
  }

  private drawLine(): void {
    const s = this.state();
    if (s === null) return;
    const columns = this.base.stderrSize?.()?.columns ?? 80;
    this.base.err(`\r${progressLine(s, columns, this.glyphs)}\x1b[K`);
    this.lineShown = true;
  }

  private heartbeat(): void {
    const s = this.state();
    if (s !== null) this.base.err(`${heartbeatLine(s, this.glyphs)}\n`);
  }

  private err(text: string): void {
    if (this.mode === "dashboard" && (this.thread !== null || this.dashboard?.screen.isActive)) {
      this.hold(text);
      return;
    }
    if (this.mode === "line" && this.lineShown) {
      // Erase the progress line, print the message, put the line back under it.
      this.base.err(`\r\x1b[K${text}`);
      this.lineShown = false;
      if (text.endsWith("\n")) this.drawLine();
      return;
    }
    this.base.err(text);
  }

  private hold(text: string): void {
    if (this.held.length >= MAX_HELD_MESSAGES) {
      this.held.shift();
      this.heldDropped++;
    }
    this.held.push(text);
    for (const line of text.replace(SGR_RE, "").split("\n")) if (line.trim() !== "") this.recent.push(line.trim());
    if (this.recent.length > 3) this.recent = this.recent.slice(-3);
  }

  /** Ends the view: the normal screen and cursor back, then the messages held meanwhile. Safe to call twice. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const u of this.undo.splice(0)) u();
    const mode = this.mode;
    this.mode = "off";
    if (mode === "line") {
      this.drawLine();
      this.base.err("\n");
      this.lineShown = false;
    }
    if (mode === "dashboard" && (this.dashboard !== null || this.thread !== null)) {
      this.dashboard?.screen.leave();
      this.thread?.close();
      this.thread = null;
      if (this.heldDropped > 0) this.base.err(`(${this.heldDropped} earlier messages are in the run's logs/llmbench.log)\n`);
      for (const t of this.held) this.base.err(t);
      this.held = [];
    }
  }
}
