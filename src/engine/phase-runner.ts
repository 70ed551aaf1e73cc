// One phase in one load worker: closed-loop lanes, or a timed dispatcher that sends each session's
// first turn at its scheduled time (rate arrivals or trace timestamps). Sessions run their turns in
// order, each turn after the previous one ended plus its delay, with the chat history so far.
//
// Every request records when it was due (scheduled_ns) and how long it waited for a --concurrency or
// --prefill-concurrency slot (queue_ns), so latency can be read from the schedule, not only from the
// send: a client that falls behind cannot hide it (coordinated omission).
//
// A closed-loop lane whose request failed before reaching the server pauses before its next one
// (connect-backoff.ts), so a server restart costs a few recorded failures, not a flood of them.
// Open-loop schedules are kept as they are: their failures are recorded, nothing is delayed.
//
// When the main thread's storage falls behind (SharedState.held), or this worker's finished records
// wait too long for their token counts (PhaseDeps.held), no new request starts until they catch up, so
// finished records never pile up in memory; the wait is recorded as queue time.
import { StopLatch } from "../runtime/stop-latch.ts";
import { ENDPOINT_INFO } from "../client/endpoint-types.ts";
import { requestBody, type ChatMessage } from "../client/request-body.ts";
import type { RecordIdentity } from "../client/request-runner.ts";
import type { SessionSpec } from "../dataset/plan-types.ts";
import type { RequestRecord } from "../record/request-record.ts";
import { epochNs } from "../runtime/clock.ts";
import { offAbort, onAbort } from "../runtime/abort-fanout.ts";
import { clearLongTimeout, setLongTimeout } from "../runtime/long-timer.ts";
import { cancelAfterNs } from "../schedule/cancellation.ts";
import { waitUntilNs } from "../schedule/precise-wait.ts";
import { nextBackoffMs } from "./connect-backoff.ts";
import type { PromptStore } from "./prompt-store.ts";
import { HoldGate } from "./hold-gate.ts";
import { feedWorkers, requestIndexOf, sessionNumOf, sessionOfOrdinal } from "./session-order.ts";
import type { SharedState } from "./shared-state.ts";
import type { PhaseSpec, WorkerConfig } from "./worker-protocol.ts";

/** Cross-worker slot releases are noticed by polling this often (own releases wake at once). */
const SLOT_POLL_MS = 1;
/** Held lanes let go per macrotask when a hold ends (hold-gate.ts). */
const GATE_SLICE = 64;
/**
 * A wait this short (ns) is not raced against the phase's stop: it ends within a spin window anyway,
 * and a race per wait was ~10 objects (at 5,000 req/s, every send waits).
 */
const UNRACED_WAIT_NS = 3_000_000;
const ignoreRecord = (_r: RequestRecord): void => {};

export interface SendArgs {
  url: string;
  body: string;
  requestId: string;
  identity: RecordIdentity;
  cancel: AbortSignal;
  /** One function for the whole phase (not a closure per request). */
  onFirstToken: () => void;
  /** Multi-turn sessions only: the response's content text, for the history. */
  onText?: (text: string) => void;
}

export interface PhaseDeps {
  cfg: WorkerConfig;
  spec: PhaseSpec;
  shared: SharedState;
  prompts: PromptStore;
  /** Sends one request; resolves with its record (the response text goes to `a.onText`). */
  send(a: SendArgs): Promise<RequestRecord>;
  emit(r: RequestRecord): void;
  /** Aborted on cancel (Ctrl-C, grace over): in-flight requests end as cancelled. */
  cancel: AbortSignal;
  /** Resolves when this phase must issue nothing more (duration over, or cancel). */
  stopped: Promise<void>;
  /** Time source and waits; the real clock unless a test drives its own. */
  clock?: PhaseClock;
  /** True while this worker must start nothing new (its records await their counts); never by default. */
  held?: () => boolean;
  /** True while the threads that store and count results fall behind: waits for a send's time leave the core (precise-wait.ts); never by default. */
  yieldCore?: () => boolean;
}

export interface PhaseClock {
  /** Epoch ns. */
  now(): number;
  /** Resolves once now() >= ns, on time (sends are due then); while `yieldCore()`, leaving the core for most of the wait. */
  waitUntil(ns: number, yieldCore?: () => boolean): Promise<void>;
  /** Resolves after about `ms` (pauses where a ms either way does not matter). */
  sleepMs(ms: number): Promise<void>;
}

const realClock: PhaseClock = {
  now: epochNs,
  waitUntil: (ns, yieldCore) => waitUntilNs(ns, yieldCore === undefined ? {} : { yieldCore }),
  sleepMs: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface Prepared {
  session: SessionSpec;
  texts: string[];
  /** Turn 0's request body, built before its wait so the send right after it is short; "" once sent (a prompt of any size is not kept for the session). */
  firstBody: string;
}

export function runPhase(d: PhaseDeps): Promise<void> {
  return new PhaseRun(d).run();
}

/** One phase's state in this worker; each stage of a request's way out is a method. */
class PhaseRun {
  private readonly cfg: WorkerConfig;
  private readonly spec: PhaseSpec;
  private readonly shared: SharedState;
  private readonly clock: PhaseClock;
  private readonly held: () => boolean;
  private readonly now: () => number;
  private stop = false;
  /** Waits race this, never `d.stopped` itself (stop-latch.ts: a race per wait kept its value alive). */
  private readonly latch = new StopLatch();
  /** The duration is kept here too: the main thread's stop may come late when it runs at idle priority. */
  private readonly sendUntilNs: number;
  /** Slot waiters: woken when this worker frees a slot, else by the poll. */
  private readonly slotWaiters = new Set<() => void>();
  private readonly holdGate: HoldGate;
  /** Fed prompts: the next ordinal of this worker's share, and the step between them. */
  private ownNext: number;
  private readonly stride: number;

  constructor(private readonly d: PhaseDeps) {
    this.cfg = d.cfg;
    this.spec = d.spec;
    this.shared = d.shared;
    this.clock = d.clock ?? realClock;
    this.held = d.held ?? (() => false);
    this.now = this.clock.now;
    this.sendUntilNs = d.spec.durationNs === null ? Infinity : d.spec.startNs + d.spec.durationNs;
    this.holdGate = new HoldGate(() => !this.isHeld() || this.isStopped(), SLOT_POLL_MS, GATE_SLICE);
    // A lane takes the next session nobody has started, across all workers; fed prompts are dealt to
    // workers ahead by ordinal, so there each worker's lanes take that worker's share in turn.
    this.stride = feedWorkers(d.cfg.workerCount, d.spec);
    this.ownNext = d.cfg.workerId;
    void d.stopped.then(() => {
      this.stop = true;
      this.latch.fire();
      this.wakeSlots();
    });
  }

  async run(): Promise<void> {
    const { cfg, spec } = this;
    if (spec.offsetsNs !== null) {
      await this.dispatch(spec.offsetsNs);
    } else {
      const lanes: Promise<void>[] = [];
      for (let g = cfg.workerId; g < spec.lanes; g += cfg.workerCount) lanes.push(this.lane(g));
      await Promise.all(lanes);
    }
  }

  private isStopped(): boolean {
    return this.stop || this.shared.stopped || this.now() >= this.sendUntilNs;
  }

  private isHeld(): boolean {
    return this.shared.held || this.held();
  }

  private wakeSlots(): void {
    if (this.slotWaiters.size === 0) return;
    for (const w of [...this.slotWaiters]) w();
  }

  private slotFreed(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.slotWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, SLOT_POLL_MS);
      this.slotWaiters.add(done);
    });
  }

  /** One function for the whole phase (not a closure per request). */
  private readonly onFirstToken = (): void => {
    this.shared.leavePrefill();
    this.wakeSlots();
  };

  /** Waits until `due` (epoch ns); false if the phase stopped first. */
  private async sleepUntil(due: number): Promise<boolean> {
    if (this.isStopped()) return false;
    const until = Math.min(due, this.sendUntilNs);
    const aheadNs = until - this.now();
    if (aheadNs > UNRACED_WAIT_NS) await this.latch.race(this.clock.waitUntil(until, this.d.yieldCore), undefined);
    else if (aheadNs > 0) await this.clock.waitUntil(until, this.d.yieldCore);
    return !this.isStopped();
  }

  /** Pauses a lane for `ms`; false if the phase stopped first. */
  private async pause(ms: number): Promise<boolean> {
    if (this.isStopped()) return false;
    await this.latch.race(this.clock.sleepMs(ms), undefined);
    return !this.isStopped();
  }

  /**
   * Takes a prefill slot and (timed mode) an in-flight slot. Null if stopped, else the ns queued since
   * `queuedSinceNs` (when the request became due, or started waiting) if it had to wait, else 0.
   * When no wait is needed (the common case) no promise is made.
   */
  private acquire(timed: boolean, queuedSinceNs: number): number | null | Promise<number | null> {
    if (this.isStopped()) return null;
    if (!this.isHeld() && this.tryTakeSlots(timed)) return 0;
    return this.acquireWaiting(timed, queuedSinceNs);
  }

  private async acquireWaiting(timed: boolean, queuedSinceNs: number): Promise<number | null> {
    let waited = false;
    for (;;) {
      if (this.isStopped()) return null;
      // Storage is behind: a due request waits here like one waiting for a slot, and its queue_ns says so.
      if (this.isHeld()) {
        waited = true;
        await this.holdGate.wait();
        continue;
      }
      if (this.tryTakeSlots(timed)) return waited ? Math.max(0, this.now() - queuedSinceNs) : 0;
      waited = true;
      await this.slotFreed();
    }
  }

  /** The prefill slot and (timed mode) an in-flight slot, both or neither. */
  private tryTakeSlots(timed: boolean): boolean {
    const { shared, spec } = this;
    if (!shared.tryEnterPrefill(spec.prefillCap)) return false;
    if (!timed) shared.started();
    if (!timed || shared.tryStart(spec.inFlightCap)) return true;
    shared.leavePrefill();
    return false;
  }

  private bodyFor(model: string, text: string, maxTokens: number | null, history: readonly ChatMessage[]): string {
    const cfg = this.cfg;
    return JSON.stringify(
      requestBody({
        endpointType: cfg.endpointType,
        model,
        prompt: text,
        maxTokens,
        legacyMaxTokens: cfg.useLegacyMaxTokens,
        streaming: cfg.streaming,
        includeUsage: true,
        extra: cfg.extraInputs,
        rankingsPassages: cfg.rankingsPassagesMean,
        systemPrompt: cfg.dataset.systemPrompt,
        history,
      }),
    );
  }

  /** A session's texts and first body; a promise only when its prompts are fed (they may still be on the way). */
  private prepare(ordinal: number): Prepared | null | Promise<Prepared | null> {
    const { cfg, spec } = this;
    const session = cfg.dataset.sessions[sessionOfOrdinal(ordinal, spec, cfg.dataset, cfg.randomSeed)]!;
    if (spec.fedPrompts) return this.preparedFed(ordinal, session);
    const turns = session.turns;
    const texts = new Array<string>(turns.length);
    for (let t = 0; t < turns.length; t++) {
      const prompt = turns[t]!.prompt;
      texts[t] = prompt.kind === "text" ? prompt.text : "";
    }
    return this.prepared(session, texts);
  }

  /**
   * Once its fed prompts are here (or null when the phase stops first). Its own method: the arrow here
   * holds `this`, and in prepare() that cost every request an environment object, fed or not.
   */
  private preparedFed(ordinal: number, session: SessionSpec): Promise<Prepared | null> {
    return this.latch.race(this.d.prompts.take(ordinal), null).then((texts) => (texts === null ? null : this.prepared(session, texts)));
  }

  private prepared(session: SessionSpec, texts: string[]): Prepared {
    const first = session.turns[0];
    return { session, texts, firstBody: this.bodyFor(first?.model ?? this.cfg.model, texts[0] ?? "", first?.maxTokens ?? null, []) };
  }

  /** When a later turn is due (epoch ns): after the previous one ended plus its delay, or AIPerf's user-centric gap; a trace's timestamp when later. */
  private turnDueNs(turn: SessionSpec["turns"][number], prevEndNs: number, prevDueNs: number): number {
    const spec = this.spec;
    const gapNs = spec.turnGapNs ?? null;
    // User-centric: AIPerf's max(now, next_send_time + turn_gap), turn delays not used.
    let dueNs = gapNs === null ? prevEndNs + turn.delayMs * 1e6 : Math.max(prevEndNs, prevDueNs + gapNs);
    if (spec.trace !== null && turn.timestampMs !== null) {
      dueNs = Math.max(dueNs, spec.startNs + ((turn.timestampMs - spec.trace.zeroMs) / spec.trace.speedup) * 1e6);
    }
    return dueNs;
  }

  /**
   * Runs one session. `firstDueNs` >= 0 when the caller already waited for turn 0's time and slots
   * (the timed dispatcher, so slots go out in schedule order; it queued `firstQueueNs`); `ended` sees
   * each finished request. False when the phase is over.
   */
  private async runSession(ordinal: number, p: Prepared, firstDueNs: number, firstQueueNs: number, ended: (r: RequestRecord) => void): Promise<boolean> {
    const { cfg, spec, shared, d } = this;
    let prevEndNs = 0;
    let prevDueNs = 0;
    const turnCount = Math.min(p.session.turns.length, spec.turnLimit?.[ordinal] ?? Infinity);
    // AIPerf: one X-Correlation-ID per user session, sent with each of its turns.
    const correlationId = crypto.randomUUID();
    // The history (and the reply that ends it) is kept only where a later turn needs it.
    const history = turnCount > 1 ? new SessionHistory() : null;
    for (let t = 0; t < turnCount; t++) {
      const turn = p.session.turns[t]!;
      const text = p.texts[t] ?? "";
      let dueNs: number;
      let queueNs: number;
      if (t === 0 && firstDueNs >= 0) {
        dueNs = firstDueNs;
        queueNs = firstQueueNs;
      } else {
        if (t === 0) dueNs = this.now();
        else {
          dueNs = this.turnDueNs(turn, prevEndNs, prevDueNs);
          if (!(await this.sleepUntil(dueNs))) return false;
        }
        const q = await this.acquire(spec.offsetsNs !== null, Math.max(dueNs, this.now()));
        if (q === null) return false;
        queueNs = q;
      }
      const local = shared.claim(spec.requestLimit);
      if (local < 0) {
        shared.unstart();
        shared.leavePrefill();
        this.wakeSlots();
        return false;
      }
      const index = requestIndexOf(local, spec);
      // Several --model names: each turn goes to the model the dataset gave it (model-selection.ts).
      const model = turn.model ?? cfg.model;
      const body = t === 0 ? p.firstBody : this.bodyFor(model, text, turn.maxTokens, history?.messages ?? NO_MESSAGES);
      if (t === 0) p.firstBody = "";
      const picked =
        spec.cancellation === null
          ? null
          : requestSignal(d.cancel, cancelAfterNs(cfg.randomSeed, index, spec.cancellation.ratePct, spec.cancellation.delaySec));
      const requestId = crypto.randomUUID();
      const record = await d.send({
        url: cfg.urls[index % cfg.urls.length]!,
        body,
        requestId,
        cancel: picked?.signal ?? d.cancel,
        onFirstToken: this.onFirstToken,
        onText: history?.onText,
        identity: {
          request_index: index,
          x_correlation_id: correlationId,
          session_num: sessionNumOf(ordinal, spec),
          conversation_id: p.session.sessionId,
          turn_index: t,
          worker_id: cfg.workerId,
          phase: spec.phase,
          model,
          scheduled_ns: Math.round(dueNs),
          queue_ns: Math.round(queueNs),
          input_tokens: turn.prompt.tokens,
          requested_output_tokens: ENDPOINT_INFO[cfg.endpointType].producesTokens ? turn.maxTokens : null,
        },
      });
      picked?.dispose();
      shared.finished();
      this.wakeSlots();
      d.emit(record);
      ended(record);
      // A failed turn ends its session: later turns would be sent without the reply they follow.
      if (record.error !== null || record.cancelled) return !this.isStopped();
      if (t + 1 < turnCount) history?.add(text);
      prevEndNs = record.end_ns;
      prevDueNs = dueNs;
    }
    return true;
  }

  private nextOrdinal(): number {
    if (!this.spec.fedPrompts) return this.shared.claimSession();
    const ordinal = this.ownNext;
    this.ownNext += this.stride;
    return ordinal;
  }

  /** A closed-loop lane: session after session, each after the one before ended (after a backoff when it failed to connect). */
  private async lane(g: number): Promise<void> {
    const spec = this.spec;
    if (!(await this.sleepUntil(spec.startNs + (spec.laneStartNs?.[g] ?? 0)))) return;
    let backoffMs = 0;
    const ended = (r: RequestRecord): void => {
      backoffMs = nextBackoffMs(backoffMs, r);
    };
    for (;;) {
      if (backoffMs > 0 && !(await this.pause(backoffMs))) return;
      const ordinal = this.nextOrdinal();
      if (ordinal < 0 || ordinal >= spec.sessionLimit) return;
      const p = await this.prepare(ordinal);
      if (p === null || !(await this.runSession(ordinal, p, -1, 0, ended))) return;
    }
  }

  /** The timed dispatcher: this worker's sessions, each first turn sent at its scheduled offset. */
  private async dispatch(offsets: Float64Array): Promise<void> {
    const { cfg, spec } = this;
    // Sessions in flight are counted, not kept: a promise and two closures per session were garbage.
    let running = 0;
    let over = false;
    let failure: { e: unknown } | null = null;
    let drained: (() => void) | null = null;
    const sessionEnded = (more: boolean): void => {
      if (!more) over = true;
      if (--running === 0) drained?.();
    };
    const sessionFailed = (e: unknown): void => {
      failure ??= { e };
      over = true;
      if (--running === 0) drained?.();
    };
    // Until when the dispatcher was held up waiting for a slot: requests that fell due meanwhile were
    // queued behind it, and their wait counts as queue time from their due time.
    let blockedUntilNs = 0;
    const n = Math.min(spec.sessionLimit, offsets.length);
    for (let ordinal = cfg.workerId; ordinal < n && !over; ordinal += cfg.workerCount) {
      // The prompt is ready before the wait, so building it never delays the send.
      const p = await this.prepare(ordinal);
      const dueNs = spec.startNs + offsets[ordinal]!;
      if (p === null || !(await this.sleepUntil(dueNs))) break;
      let queueNs = await this.acquire(true, dueNs);
      if (queueNs === null) break;
      if (queueNs > 0) blockedUntilNs = this.now();
      else if (dueNs < blockedUntilNs) queueNs = Math.max(0, this.now() - dueNs);
      running++;
      this.runSession(ordinal, p, dueNs, queueNs, ignoreRecord).then(sessionEnded, sessionFailed);
    }
    if (running > 0) await new Promise<void>((resolve) => (drained = resolve));
    // Set by sessionFailed, which the compiler does not see run.
    const failed = failure as { e: unknown } | null;
    if (failed !== null) throw failed.e;
  }
}

/**
 * A multi-turn session's chat so far, and the reply its last turn got. Made only for sessions of more
 * than one turn; an object rather than locals a callback closes over: those made every request's
 * session an environment object (and an empty history), single-turn sessions too.
 */
class SessionHistory {
  readonly messages: ChatMessage[] = [];
  private reply = "";
  readonly onText = (text: string): void => {
    this.reply = text;
  };

  /** The turn that just ended, with the reply it got. */
  add(prompt: string): void {
    this.messages.push({ role: "user", content: prompt }, { role: "assistant", content: this.reply });
  }
}

const NO_MESSAGES: readonly ChatMessage[] = [];

/** The run's cancel signal, plus a timer for a --request-cancellation-rate pick (null: not picked). */
function requestSignal(run: AbortSignal, cancelAfterNs: number | null): { signal: AbortSignal; dispose: () => void } | null {
  if (cancelAfterNs === null) return null;
  const ac = new AbortController();
  const onRun = { handleEvent: (): void => ac.abort() };
  onAbort(run, onRun);
  const timer = setLongTimeout(() => ac.abort(), cancelAfterNs / 1e6);
  return {
    signal: ac.signal,
    dispose: () => {
      clearLongTimeout(timer);
      offAbort(run, onRun);
    },
  };
}
