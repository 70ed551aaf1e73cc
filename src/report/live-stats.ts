// What the live views show, fed one finished request at a time on the main thread (a RecordSink):
// counters, per-second slots holding log histograms for "the last few seconds" percentiles, and a
// per-second history for the sparklines. add() is O(1) and allocates nothing for a successful
// request; snapshot() (a few times a second at most) does the merging and the scans.
import type { RecordValues } from "../metrics/record-values.ts";
import { recordError } from "../metrics/record-values.ts";
import type { BenchmarkPhase, RecordError, RequestRecord } from "../record/request-record.ts";
import { LogHistogram } from "./log-histogram.ts";

/** Seconds the live rates and percentiles cover. */
export const LIVE_WINDOW_S = 10;
/** Per-second slots kept with histograms (more than the window, so late records still land). */
const SLOT_COUNT = 16;
/** Seconds of per-second history kept for the sparklines. */
const HISTORY_S = 1024;
/** Distinct error kinds counted by name; the rest are counted together. */
const MAX_ERROR_KINDS = 40;
const OTHER_ERRORS = "other";

export interface LivePercentiles {
  p50: number;
  p90: number;
  p99: number;
}

export interface ErrorKind {
  type: string;
  /** HTTP status or client code (0 transport failure, 499 cancelled). */
  code: number;
  count: number;
  /** The most recent message of this kind (already one safe line, see record/safe-text.ts). */
  message: string;
}

export interface LiveSnapshot {
  done: Record<BenchmarkPhase, number>;
  failed: Record<BenchmarkPhase, number>;
  /** Phase of the latest finished request. */
  lastPhase: BenchmarkPhase | null;
  /** Earliest start of a profiling request seen (epoch ns). */
  profilingStartNs: number | null;
  /** Seconds the rates and percentiles below cover (the window, or less early in the run). */
  windowS: number;
  /** Successful requests per second over the window. */
  requestsPerSec: number | null;
  /** Finished requests (any outcome) per second over the window: what the ETA divides by. */
  finishedPerSec: number | null;
  outputTokensPerSec: number | null;
  /** Over the window, ns; null without data. */
  ttft: LivePercentiles | null;
  itl: LivePercentiles | null;
  latency: LivePercentiles | null;
  /** Successful requests per whole second, oldest first, ending with the last complete second. */
  requestSeries: number[];
  /** TTFT p50 per whole second (ns), aligned with requestSeries; null where none. */
  ttftSeries: (number | null)[];
  /** Request latency p50 per whole second (ns), likewise (for runs without TTFT). */
  latencySeries: (number | null)[];
  /** Most frequent first. */
  errors: ErrorKind[];
  /** Distinct error kinds seen. */
  errorKinds: number;
}

class Slot {
  sec = -1;
  finished = 0;
  ok = 0;
  outputTokens = 0;
  readonly ttft = new LogHistogram();
  readonly itl = new LogHistogram();
  readonly latency = new LogHistogram();

  reset(sec: number): void {
    this.sec = sec;
    this.finished = 0;
    this.ok = 0;
    this.outputTokens = 0;
    this.ttft.clear();
    this.itl.clear();
    this.latency.clear();
  }
}

const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

export class LiveStats {
  private readonly done: Record<BenchmarkPhase, number> = { warmup: 0, profiling: 0 };
  private readonly failed: Record<BenchmarkPhase, number> = { warmup: 0, profiling: 0 };
  private lastPhase: BenchmarkPhase | null = null;
  private profilingStartNs: number | null = null;
  private readonly slots = Array.from({ length: SLOT_COUNT }, () => new Slot());
  private readonly historySec = new Float64Array(HISTORY_S).fill(-1);
  private readonly historyOk = new Uint32Array(HISTORY_S);
  private readonly historyTtftP50 = new Float64Array(HISTORY_S).fill(Number.NaN);
  private readonly historyLatencyP50 = new Float64Array(HISTORY_S).fill(Number.NaN);
  private readonly errorKinds = new Map<string, ErrorKind>();
  // Scratch histograms for snapshot(), reused.
  private readonly mergedTtft = new LogHistogram();
  private readonly mergedItl = new LogHistogram();
  private readonly mergedLatency = new LogHistogram();

  /** The earliest start of a finished request (epoch ns): rates and series never cover time before it. */
  private firstStartNs: number | null = null;

  add(r: RequestRecord, values: RecordValues): void {
    const phase = r.phase;
    this.addSample(
      phase,
      r.start_ns,
      r.end_ns,
      recordError(r),
      num(values.get("output_sequence_length")) ?? 0,
      num(values.get("time_to_first_token")),
      num(values.get("inter_token_latency")),
      num(values.get("request_latency")),
    );
  }

  /** add() from the few numbers it uses (what the dashboard thread receives, see live-sample.ts); ns. */
  addSample(
    phase: BenchmarkPhase,
    startNs: number,
    endNs: number,
    error: RecordError | null,
    outputTokens: number,
    ttftNs: number | undefined,
    itlNs: number | undefined,
    latencyNs: number | undefined,
  ): void {
    this.done[phase]++;
    this.lastPhase = phase;
    if (startNs > 0) {
      if (this.firstStartNs === null || startNs < this.firstStartNs) this.firstStartNs = startNs;
      if (phase === "profiling" && (this.profilingStartNs === null || startNs < this.profilingStartNs)) this.profilingStartNs = startNs;
    }
    if (error !== null) {
      this.failed[phase]++;
      this.noteError(error);
    }
    const sec = Math.floor((endNs > 0 ? endNs : startNs) / 1e9);
    const h = this.historyIndex(sec);
    const slot = this.slotFor(sec);
    if (error !== null) {
      if (slot !== null) slot.finished++;
      return;
    }
    if (h >= 0) this.historyOk[h]!++;
    if (slot === null) return;
    slot.finished++;
    slot.ok++;
    slot.outputTokens += outputTokens;
    if (ttftNs !== undefined) slot.ttft.record(ttftNs);
    if (itlNs !== undefined) slot.itl.record(itlNs);
    if (latencyNs !== undefined) slot.latency.record(latencyNs);
  }

  private noteError(e: RecordError): void {
    let key = `${e.code} ${e.type}`;
    let kind = this.errorKinds.get(key);
    if (kind === undefined && this.errorKinds.size >= MAX_ERROR_KINDS) {
      key = OTHER_ERRORS;
      kind = this.errorKinds.get(key);
      if (kind === undefined) this.errorKinds.set(key, (kind = { type: OTHER_ERRORS, code: 0, count: 0, message: "more kinds than listed" }));
      kind.count++;
      return;
    }
    if (kind === undefined) this.errorKinds.set(key, (kind = { type: e.type, code: e.code, count: 0, message: e.message }));
    kind.count++;
    kind.message = e.message;
  }

  /** The history slot of second `sec`, reset when it held an older second; -1 when `sec` is too old. */
  private historyIndex(sec: number): number {
    const i = sec % HISTORY_S;
    const held = this.historySec[i]!;
    if (held === sec) return i;
    if (held > sec) return -1;
    this.historySec[i] = sec;
    this.historyOk[i] = 0;
    this.historyTtftP50[i] = Number.NaN;
    this.historyLatencyP50[i] = Number.NaN;
    return i;
  }

  /** The histogram slot of second `sec`; an older second it held is summed into the history first. */
  private slotFor(sec: number): Slot | null {
    const slot = this.slots[sec % SLOT_COUNT]!;
    if (slot.sec === sec) return slot;
    if (slot.sec > sec) return null;
    if (slot.sec >= 0) {
      const i = slot.sec % HISTORY_S;
      if (this.historySec[i] === slot.sec) {
        this.historyTtftP50[i] = slot.ttft.percentile(50) ?? Number.NaN;
        this.historyLatencyP50[i] = slot.latency.percentile(50) ?? Number.NaN;
      }
    }
    slot.reset(sec);
    return slot;
  }

  /** The numbers as of `nowNs`: `seriesPoints` seconds of history, the `topErrors` most frequent error kinds. */
  snapshot(nowNs: number, seriesPoints: number, topErrors: number): LiveSnapshot {
    const nowSec = Math.floor(nowNs / 1e9);
    const firstSec = nowSec - (LIVE_WINDOW_S - 1);
    this.mergedTtft.clear();
    this.mergedItl.clear();
    this.mergedLatency.clear();
    let finished = 0;
    let ok = 0;
    let tokens = 0;
    for (const s of this.slots) {
      if (s.sec < firstSec || s.sec > nowSec) continue;
      finished += s.finished;
      ok += s.ok;
      tokens += s.outputTokens;
      this.mergedTtft.merge(s.ttft);
      this.mergedItl.merge(s.itl);
      this.mergedLatency.merge(s.latency);
    }
    // Early in a run the window is shorter: from the first request sent (none yet: no rates).
    const windowS = this.firstStartNs === null ? 0 : Math.max(0, (nowNs - Math.max(firstSec * 1e9, this.firstStartNs)) / 1e9);
    // Under a quarter second a rate is mostly noise.
    const rate = (n: number): number | null => (windowS >= 0.25 ? n / windowS : null);
    const errors = [...this.errorKinds.values()].sort((a, b) => b.count - a.count).slice(0, Math.max(0, topErrors));
    return {
      done: { ...this.done },
      failed: { ...this.failed },
      lastPhase: this.lastPhase,
      profilingStartNs: this.profilingStartNs,
      windowS,
      requestsPerSec: rate(ok),
      finishedPerSec: rate(finished),
      outputTokensPerSec: rate(tokens),
      ttft: percentiles(this.mergedTtft),
      itl: percentiles(this.mergedItl),
      latency: percentiles(this.mergedLatency),
      ...this.series(nowSec, seriesPoints),
      errors: errors.map((e) => ({ ...e })),
      errorKinds: this.errorKinds.size,
    };
  }

  private series(nowSec: number, points: number): Pick<LiveSnapshot, "requestSeries" | "ttftSeries" | "latencySeries"> {
    if (this.firstStartNs === null) return { requestSeries: [], ttftSeries: [], latencySeries: [] };
    const startNs = this.firstStartNs;
    const startSec = Math.floor(startNs / 1e9);
    const from = Math.max(startSec, nowSec - Math.min(points, HISTORY_S - 1));
    const requestSeries: number[] = [];
    const ttftSeries: (number | null)[] = [];
    const latencySeries: (number | null)[] = [];
    const p50 = (live: LogHistogram | null, stored: number): number | null => {
      const v = live !== null ? live.percentile(50) : stored;
      return v === null || Number.isNaN(v) ? null : v;
    };
    for (let sec = from; sec < nowSec; sec++) {
      const i = sec % HISTORY_S;
      const held = this.historySec[i] === sec;
      // The first second is partly before the start: its count is scaled to a per-second rate.
      const covered = sec === startSec ? Math.max(0.25, sec + 1 - startNs / 1e9) : 1;
      requestSeries.push(held ? this.historyOk[i]! / covered : 0);
      // A second still in its slot has its histograms; an older one its stored p50s.
      const slot = this.slots[sec % SLOT_COUNT]!;
      const live = slot.sec === sec;
      ttftSeries.push(p50(live ? slot.ttft : null, held ? this.historyTtftP50[i]! : Number.NaN));
      latencySeries.push(p50(live ? slot.latency : null, held ? this.historyLatencyP50[i]! : Number.NaN));
    }
    return { requestSeries, ttftSeries, latencySeries };
  }
}

function percentiles(h: LogHistogram): LivePercentiles | null {
  if (h.count === 0) return null;
  return { p50: h.percentile(50)!, p90: h.percentile(90)!, p99: h.percentile(99)! };
}
