// runPhase through its seams: a fake server behind `send`, and a virtual clock, so the schedule each
// lane keeps (closed loop, backoff, one pass, stop, cancel) is checked to the ns without real waiting.
import { describe, expect, test } from "bun:test";
import { emptyRecord } from "../../../src/record/request-record.ts";
import type { LoadSpec } from "../../../src/config/load-spec.ts";
import type { Dataset, SessionSpec } from "../../../src/dataset/plan-types.ts";
import { BACKOFF_MAX_MS } from "../../../src/engine/connect-backoff.ts";
import { runPhase, type SendArgs } from "../../../src/engine/phase-runner.ts";
import { PromptStore } from "../../../src/engine/prompt-store.ts";
import { feedWorkers, sessionIndexFor } from "../../../src/engine/session-order.ts";
import { SharedState } from "../../../src/engine/shared-state.ts";
import type { PhaseSpec } from "../../../src/engine/worker-protocol.ts";
import type { RequestRecord } from "../../../src/record/request-record.ts";
import { planPhase, UNLIMITED } from "../../../src/run/phase-plan.ts";
import { FakeClock } from "../../helpers/fake-clock.ts";
import { workerSettings } from "../../helpers/worker-settings.ts";
import { planInput } from "../../helpers/phase-spec.ts";
import { countTurns } from "../../helpers/turn-counter.ts";

const T0 = 1_000_000_000_000; // virtual epoch ns; exact in a double
const MS = 1e6;
const rel = (ns: number): number => (ns - T0) / MS;

type Outcome = "ok" | "refused" | "http500";
/** The fake server: what happens to a request sent `atMs` after the phase start. */
type Server = (a: SendArgs, atMs: number) => { outcome: Outcome; latencyMs: number };
const okAfter =
  (latencyMs: number): Server =>
  () => ({ outcome: "ok", latencyMs });

function dataset(sessions: number, turns: number, sampling: Dataset["sampling"] = "sequential", delayMs = 0): Dataset {
  const s = (i: number): SessionSpec => ({
    sessionId: `s${i}`,
    turns: Array.from({ length: turns }, (_, t) => ({
      prompt: { kind: "text", text: `s${i}t${t}`, tokens: 3 },
      maxTokens: 4,
      timestampMs: null,
      delayMs: t === 0 ? 0 : delayMs,
    })),
  });
  return { sessions: Array.from({ length: sessions }, (_, i) => s(i)), systemPrompt: null, sampling, blockSize: 512 };
}

const closed = (concurrency: number): LoadSpec => ({ kind: "concurrency", concurrency, rampNs: 0 });

interface RunOpts {
  dataset: Dataset;
  load: LoadSpec;
  requestLimit?: number;
  onePass?: boolean;
  workers?: number;
  server?: Server;
  /** Duration over: issue nothing more (in-flight requests finish). */
  stopAtMs?: number;
  /** The phase's own duration (PhaseSpec.durationNs), kept by the worker whatever the main thread says. */
  durationMs?: number;
  /** Ctrl-C: stop and abort in-flight requests. */
  cancelAtMs?: number;
  /** Prompts come from the PromptStore (trace blocks), dealt as the feeder deals them. */
  fed?: boolean;
  /** Storage back-pressure: the workers are held from the start until this virtual time. */
  holdUntilMs?: number;
  /** This worker's own hold (records awaiting counts): on from the start until this virtual time. */
  localHoldUntilMs?: number;
  /** This worker's own hold as a predicate (replaces localHoldUntilMs). */
  held?: () => boolean;
  /** Whether waits for a send's time leave the core (PhaseDeps.yieldCore). */
  yieldCore?: () => boolean;
}

interface RunResult {
  records: RequestRecord[];
  /** Requests handed to `send`. */
  sent: number;
  peakInFlight: number;
  /** Virtual time when runPhase resolved (ms from the start). */
  endedAtMs: number;
  spec: PhaseSpec;
  bodies: Map<number, string>;
  /** The clock's waits that were given `yieldCore`. */
  yieldingWaits: number;
}

async function run(o: RunOpts): Promise<RunResult> {
  const clock = new FakeClock(T0);
  const shared = new SharedState();
  const W = o.workers ?? 1;
  const spec: PhaseSpec = {
    ...planPhase(
      planInput(o.load, o.dataset, {
        requestLimit: o.requestLimit,
        durationNs: o.durationMs === undefined ? null : o.durationMs * MS,
        fedPrompts: o.fed,
        onePass: o.onePass,
      }),
    ),
    startNs: T0,
  };
  const server = o.server ?? okAfter(100);
  const records: RequestRecord[] = [];
  const bodies = new Map<number, string>();
  let sent = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  const send = async (a: SendArgs): Promise<RequestRecord> => {
    sent++;
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    bodies.set(a.identity.request_index, a.body);
    const startNs = clock.now();
    const { outcome, latencyMs } = server(a, rel(startNs));
    const aborted = new Promise<"cancelled">((resolve) => {
      if (a.cancel.aborted) resolve("cancelled");
      else a.cancel.addEventListener("abort", () => resolve("cancelled"), { once: true });
    });
    const how = await Promise.race([clock.waitUntil(startNs + latencyMs * MS).then(() => outcome), aborted]);
    inFlight--;
    a.onFirstToken();
    const r = emptyRecord(a.identity, a.url, a.requestId);
    r.start_ns = startNs;
    r.end_ns = clock.now();
    if (how === "cancelled") {
      r.cancelled = true;
      r.error = { code: 499, type: "cancelled", message: "request cancelled by the client" };
    } else if (how === "refused") {
      r.error = { code: 0, type: "connection_error", message: "ECONNREFUSED" };
    } else {
      r.ack_ns = r.end_ns;
      r.http_status = how === "ok" ? 200 : 500;
      if (how === "http500") r.error = { code: 500, type: "http_error", message: "HTTP 500" };
    }
    a.onText?.(`reply to ${a.identity.conversation_id} turn ${a.identity.turn_index}`);
    return r;
  };

  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const cancel = new AbortController();
  if (o.stopAtMs !== undefined) {
    void clock.waitUntil(T0 + o.stopAtMs * MS).then(() => {
      shared.stopSending();
      stop();
    });
  }
  if (o.holdUntilMs !== undefined) {
    shared.setHold(true);
    void clock.waitUntil(T0 + o.holdUntilMs * MS).then(() => shared.setHold(false));
  }
  let localHeld = o.localHoldUntilMs !== undefined;
  if (o.localHoldUntilMs !== undefined) void clock.waitUntil(T0 + o.localHoldUntilMs * MS).then(() => (localHeld = false));
  if (o.cancelAtMs !== undefined) {
    void clock.waitUntil(T0 + o.cancelAtMs * MS).then(() => {
      shared.cancelAll();
      cancel.abort();
      stop();
    });
  }
  const base = workerSettings("http://127.0.0.1:1/v1/chat/completions", o.dataset, { model: "m", requestTimeoutSeconds: 10 });
  const stores = Array.from({ length: W }, () => new PromptStore());
  if (o.fed) {
    const dealt = feedWorkers(W, spec);
    for (let j = 0; j < spec.sessionLimit; j++) {
      const s = o.dataset.sessions[sessionIndexFor(j, o.dataset, spec.order, 1)]!;
      stores[j % dealt]!.put([{ ordinal: j, texts: s.turns.map((t) => (t.prompt.kind === "text" ? t.prompt.text : "")) }]);
    }
  }
  await Promise.all(
    stores.map((prompts, w) =>
      runPhase({
        cfg: { ...base, workerId: w, workerCount: W },
        spec,
        shared,
        prompts,
        send,
        emit: (r) => records.push(r),
        cancel: cancel.signal,
        stopped,
        clock,
        held: o.held ?? (() => localHeld),
        ...(o.yieldCore ? { yieldCore: o.yieldCore } : {}),
      }),
    ),
  );
  return { records, sent, peakInFlight, endedAtMs: rel(clock.now()), spec, bodies, yieldingWaits: clock.yieldingWaits };
}

const starts = (rs: RequestRecord[]): number[] => rs.map((r) => rel(r.start_ns));
const failedStarts = (rs: RequestRecord[]): number[] => starts(rs.filter((r) => r.error !== null));
/** Each session's turn indices in the order they were sent, by "session_num:conversation_id". */
function turnsBySession(rs: RequestRecord[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const r of [...rs].sort((a, b) => a.start_ns - b.start_ns || a.request_index - b.request_index)) {
    const key = `${r.session_num}:${r.conversation_id}`;
    m.set(key, [...(m.get(key) ?? []), r.turn_index]);
  }
  return m;
}

describe("runPhase: closed loop", () => {
  test("each lane sends its next request when its last one ended, up to the request limit", async () => {
    const out = await run({ dataset: dataset(4, 1), load: closed(3), requestLimit: 10 });
    expect(out.records.length).toBe(10);
    expect(out.sent).toBe(10);
    expect(out.records.map((r) => r.request_index).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(starts(out.records)).toEqual([0, 0, 0, 100, 100, 100, 200, 200, 200, 300]);
    expect(out.peakInFlight).toBe(3);
    expect(out.records.map((r) => r.scheduled_ns - r.start_ns)).toEqual(new Array(10).fill(0));
  });

  test("a session's turns go in order, each after the previous ended plus its delay, with the history so far", async () => {
    const out = await run({ dataset: dataset(2, 3, "sequential", 50), load: closed(1), requestLimit: 6 });
    expect(out.records.map((r) => [r.conversation_id, r.turn_index, rel(r.start_ns)])).toEqual([
      ["s0", 0, 0],
      ["s0", 1, 150],
      ["s0", 2, 300],
      ["s1", 0, 400],
      ["s1", 1, 550],
      ["s1", 2, 700],
    ]);
    const third = JSON.parse(out.bodies.get(2)!) as { messages: { content: string }[] };
    expect(third.messages.map((m) => m.content)).toEqual(["s0t0", "reply to s0 turn 0", "s0t1", "reply to s0 turn 1", "s0t2"]);
  });

  test("every turn of a session carries the session's x_correlation_id; each session has its own (AIPerf)", async () => {
    const out = await run({ dataset: dataset(2, 3), load: closed(1), requestLimit: 9 });
    const ids = out.records.map((r) => `${r.session_num}:${r.x_correlation_id}`);
    expect(ids).toHaveLength(9);
    const perSession = [...new Set(ids)];
    expect(perSession.map((k) => k.split(":")[0])).toEqual(["0", "1", "2"]);
    expect(new Set(out.records.map((r) => r.x_correlation_id)).size).toBe(3);
    expect(out.records[0]!.x_correlation_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("runPhase: backoff after connection failures", () => {
  // Down from 100 ms to 1,600 ms (a 1.5 s restart); each answer takes 50 ms, a refusal none.
  const outage =
    (fromMs: number, toMs: number): Server =>
    (_a, at) =>
      at >= fromMs && at < toMs ? { outcome: "refused", latencyMs: 0 } : { outcome: "ok", latencyMs: 50 };

  test("a lane waits 10 ms, doubling to at most 1 s, between refused attempts; the first answer resets it", async () => {
    const down = outage(100, 1600);
    // A second, one-request outage at 2,520 ms: the pause after it is 10 ms again, not 1 s.
    const server: Server = (a, at) => (at === 2520 ? { outcome: "refused", latencyMs: 0 } : down(a, at));
    const out = await run({ dataset: dataset(3, 1), load: closed(1), server, stopAtMs: 2600 });
    expect(failedStarts(out.records)).toEqual([100, 110, 130, 170, 250, 410, 730, 1370, 2520]);
    // 1,370 + the 1 s cap = 2,370: back up, then no pause between answers.
    expect(starts(out.records).filter((t) => t > 1370)).toEqual([2370, 2420, 2470, 2520, 2530, 2580]);
    expect(out.records.filter((r) => r.error === null && rel(r.start_ns) > 1600).length).toBe(5);
    expect(out.sent).toBe(out.records.length);
    expect(BACKOFF_MAX_MS).toBe(1000);
  });

  test("every lane backs off: a 1.5 s outage costs 8 attempts per lane, all recorded", async () => {
    const out = await run({ dataset: dataset(5, 1), load: closed(4), server: outage(200, 1700), stopAtMs: 3000 });
    const failed = out.records.filter((r) => r.error !== null);
    expect(failed.length).toBe(4 * 8);
    expect(failed.map((r) => r.error!.type)).toEqual(new Array(32).fill("connection_error"));
    const after = out.records.filter((r) => rel(r.start_ns) >= 1700);
    expect(after.length).toBeGreaterThan(4);
    expect(after.filter((r) => r.error !== null).length).toBe(0);
    expect(out.sent).toBe(out.records.length);
  });

  test("HTTP errors are answers: no pause after them", async () => {
    const out = await run({ dataset: dataset(2, 1), load: closed(1), server: () => ({ outcome: "http500", latencyMs: 1 }), stopAtMs: 100 });
    const s = starts(out.records);
    expect(s.length).toBeGreaterThanOrEqual(99);
    expect(s.slice(1).map((t, i) => t - s[i]!)).toEqual(new Array(s.length - 1).fill(1));
  });

  test("open loop keeps its schedule while the server refuses: every arrival sent on time and recorded", async () => {
    const load: LoadSpec = { kind: "rate", ratePerSec: 100, pattern: "constant", smoothness: 1, rampNs: 0, cap: null };
    const out = await run({ dataset: dataset(3, 1), load, requestLimit: 20, server: () => ({ outcome: "refused", latencyMs: 0 }) });
    expect(out.records.length).toBe(20);
    expect(starts(out.records)).toEqual([...out.spec.offsetsNs!].map((o) => o / MS));
    expect(starts(out.records)[19]).toBe(190);
  });

  test("every wait for an arrival's time carries the worker's yieldCore; none without one", async () => {
    const load: LoadSpec = { kind: "rate", ratePerSec: 100, pattern: "constant", smoothness: 1, rampNs: 0, cap: null };
    const given = await run({ dataset: dataset(3, 1), load, requestLimit: 20, yieldCore: () => true });
    expect(given.records.length).toBe(20);
    // The first arrival is due at once (no wait); each of the other 19 waited with the predicate.
    expect(given.yieldingWaits).toBe(19);
    expect(starts(given.records)).toEqual([...given.spec.offsetsNs!].map((o) => o / MS));
    const none = await run({ dataset: dataset(3, 1), load, requestLimit: 20 });
    expect(none.records.length).toBe(20);
    expect(none.yieldingWaits).toBe(0);
  });

  test("stop during a pause ends the lane at once", async () => {
    const out = await run({ dataset: dataset(2, 1), load: closed(1), server: () => ({ outcome: "refused", latencyMs: 0 }), stopAtMs: 500 });
    expect(failedStarts(out.records)).toEqual([0, 10, 30, 70, 150, 310]);
    expect(out.endedAtMs).toBe(500);
  });
});

describe("runPhase: the phase's duration, kept by the worker", () => {
  test("closed loop: no request starts at or after the duration though the main thread never says stop", async () => {
    const out = await run({ dataset: dataset(4, 1), load: closed(2), requestLimit: 20, durationMs: 350 });
    expect(starts(out.records)).toEqual([0, 0, 100, 100, 200, 200, 300, 300]);
    expect(out.endedAtMs).toBe(400);
  });

  test("multi-turn: a turn due after the duration is not sent, and the lane does not sleep until it is due", async () => {
    const out = await run({ dataset: dataset(2, 3, "sequential", 1000), load: closed(1), requestLimit: 6, durationMs: 500 });
    expect(out.records.map((r) => [r.conversation_id, r.turn_index, rel(r.start_ns)])).toEqual([["s0", 0, 0]]);
    expect(out.endedAtMs).toBe(500);
  });

  test("open loop: arrivals due after the duration are not sent (the plan already ends them there)", async () => {
    const load: LoadSpec = { kind: "rate", ratePerSec: 100, pattern: "constant", smoothness: 1, rampNs: 0, cap: null };
    const out = await run({ dataset: dataset(3, 1), load, requestLimit: 100, durationMs: 45 });
    expect(starts(out.records)).toEqual([0, 10, 20, 30, 40]);
  });
});

describe("runPhase: held while storage catches up", () => {
  test("closed loop: nothing starts while held; the wait is the first requests' queue time", async () => {
    const out = await run({ dataset: dataset(4, 1), load: closed(2), requestLimit: 4, holdUntilMs: 50 });
    expect(out.records.length).toBe(4);
    expect(starts(out.records)).toEqual([50, 50, 150, 150]);
    expect(out.records.map((r) => r.queue_ns / MS)).toEqual([50, 50, 0, 0]);
    expect(out.records.map((r) => rel(r.scheduled_ns))).toEqual([0, 0, 150, 150]);
  });

  test("the worker's own hold (records awaiting their counts) holds it the same way", async () => {
    const out = await run({ dataset: dataset(4, 1), load: closed(2), requestLimit: 4, localHoldUntilMs: 30 });
    expect(out.records.length).toBe(4);
    expect(starts(out.records)).toEqual([30, 30, 130, 130]);
    expect(out.records.map((r) => r.queue_ns / MS)).toEqual([30, 30, 0, 0]);
  });

  test("held lanes wait on one gate: the hold is looked at about once a poll, not once a lane a poll", async () => {
    // 300 lanes held for 40 real ms: a poll per lane every 1 ms would look ~12,000 times.
    const releaseAt = performance.now() + 40;
    let looks = 0;
    const held = (): boolean => {
      looks++;
      return performance.now() < releaseAt;
    };
    const out = await run({ dataset: dataset(4, 1), load: closed(300), requestLimit: 600, held });
    expect(out.records.length).toBe(600);
    expect(out.peakInFlight).toBe(300);
    expect(looks).toBeGreaterThan(300);
    expect(looks).toBeLessThan(2_000);
  });

  test("when a hold ends, held lanes leave a slice per event-loop turn, so reads can be stamped between sends", async () => {
    const releaseAt = performance.now() + 20;
    const counter = countTurns();
    const sendTurns: number[] = [];
    const server: Server = () => {
      sendTurns.push(counter.turns);
      return { outcome: "ok", latencyMs: 100 };
    };
    const out = await run({ dataset: dataset(4, 1), load: closed(300), requestLimit: 300, server, held: () => performance.now() < releaseAt });
    counter.stop();
    expect(out.records.length).toBe(300);
    const perTurn = new Map<number, number>();
    for (const t of sendTurns) perTurn.set(t, (perTurn.get(t) ?? 0) + 1);
    expect(sendTurns.length).toBe(300);
    // 64 a slice; a turn of this counter can hold the end of one slice and the start of the next.
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(128);
    expect(perTurn.size).toBeGreaterThanOrEqual(3);
  });

  test("open loop: arrivals due while held leave at the release, late by their due time; later ones on schedule", async () => {
    const load: LoadSpec = { kind: "rate", ratePerSec: 100, pattern: "constant", smoothness: 1, rampNs: 0, cap: null };
    const out = await run({ dataset: dataset(3, 1), load, requestLimit: 6, holdUntilMs: 35 });
    expect(out.records.length).toBe(6);
    expect([...out.spec.offsetsNs!].slice(0, 6).map((o) => o / MS)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(starts(out.records)).toEqual([35, 35, 35, 35, 40, 50]);
    expect(out.records.map((r) => rel(r.scheduled_ns))).toEqual([0, 10, 20, 30, 40, 50]);
    expect(out.records.map((r) => r.queue_ns / MS)).toEqual([35, 25, 15, 5, 0, 0]);
  });
});

describe("runPhase: one pass through an input file", () => {
  const sixByThree = dataset(6, 3);
  const expectOnePass = (rs: RequestRecord[]): void => {
    expect(rs.length).toBe(18);
    const bySession = turnsBySession(rs);
    // Six session numbers, each one dataset session, every dataset session once.
    expect([...bySession.keys()].map((k) => k.split(":")[0]).sort()).toEqual(["0", "1", "2", "3", "4", "5"]);
    expect([...bySession.keys()].map((k) => k.split(":")[1]).sort()).toEqual(["s0", "s1", "s2", "s3", "s4", "s5"]);
    expect([...bySession.values()]).toEqual(new Array(6).fill([0, 1, 2]));
  };

  test.each([
    ["1 worker, 8 lanes", 1, 8],
    ["2 workers, 8 lanes", 2, 8],
    ["3 workers, 1 lane (workers without a lane)", 3, 1],
  ])("%s: every session once, each through all its turns, then the lanes stop", async (_name, workers, lanes) => {
    const out = await run({ dataset: sixByThree, load: closed(lanes), onePass: true, workers });
    expectOnePass(out.records);
    expect(out.spec.requestLimit).toBe(UNLIMITED);
  });

  test("fed prompts (trace blocks) on more workers than lanes: still every session", async () => {
    const out = await run({ dataset: sixByThree, load: closed(2), onePass: true, workers: 3, fed: true });
    expectOnePass(out.records);
    expect(new Set(out.records.map((r) => r.worker_id))).toEqual(new Set([0, 1]));
  });

  test("a random_pool file: one shuffled pass, each session once", async () => {
    const out = await run({ dataset: dataset(6, 3, "random"), load: closed(4), onePass: true });
    expectOnePass(out.records);
  });

  test("an explicit request count keeps cycling through the sessions", async () => {
    const out = await run({ dataset: sixByThree, load: closed(8), requestLimit: 16 });
    expect(out.records.length).toBe(16);
    const ids = out.records
      .filter((r) => r.turn_index === 0)
      .map((r) => r.conversation_id)
      .sort();
    expect(ids).toEqual(["s0", "s0", "s1", "s1", "s2", "s3", "s4", "s5"]);
  });
});

describe("runPhase: stop and cancel", () => {
  test("stop: nothing new is sent, what is in flight finishes and is recorded", async () => {
    const out = await run({ dataset: dataset(3, 1), load: closed(2), stopAtMs: 250 });
    expect(starts(out.records)).toEqual([0, 0, 100, 100, 200, 200]);
    expect(out.records.map((r) => [r.cancelled, r.error])).toEqual(new Array(6).fill([false, null]));
    expect(out.endedAtMs).toBe(300);
    expect(out.sent).toBe(6);
  });

  test("cancel: in-flight requests end at once, recorded as cancelled", async () => {
    const out = await run({ dataset: dataset(3, 2), load: closed(3), server: okAfter(1000), cancelAtMs: 250 });
    expect(out.records.map((r) => [rel(r.end_ns), r.cancelled, r.error?.code])).toEqual(new Array(3).fill([250, true, 499]));
    expect(out.endedAtMs).toBe(250);
    expect(out.sent).toBe(3);
  });
});
