// Builds trace prompts (hash-id blocks) ahead of the schedule, on a count worker (or on this thread
// when there is none), and posts them to the worker that will send each session, at most LOOKAHEAD
// per worker beyond what it has used. So a 61 M-token trace starts sending after its first prompt is
// built, not after all of them, and the building never runs on a thread that timestamps responses.
import type { BlockPromptBuilder } from "../dataset/block-prompts.ts";
import type { Dataset, SessionSpec } from "../dataset/plan-types.ts";
import { feedWorkers, sessionOfOrdinal } from "../engine/session-order.ts";
import type { BlockPrompts } from "../engine/remote-prompt-builder.ts";
import type { PhaseSpec } from "../engine/worker-protocol.ts";

/** Prompts built ahead per worker; each can be ~100 KB, so this bounds memory to a few tens of MB. */
const LOOKAHEAD = 128;

export interface FeedTarget {
  feed(workerId: number, items: { ordinal: number; texts: string[] }[]): void;
}

/** A session's turn texts: literal ones as they are, hash-id ones built. */
export interface SessionTexts {
  texts(s: SessionSpec): string[] | Promise<string[]>;
}

/** Built on this thread. */
export function localSessionTexts(blocks: BlockPromptBuilder): SessionTexts {
  return { texts: (s) => s.turns.map((t) => (t.prompt.kind === "text" ? t.prompt.text : blocks.build(t.prompt.hashIds, t.prompt.tokens))) };
}

/** Hash-id turns built elsewhere (a count worker: engine/remote-prompt-builder.ts), in one request per session. */
export function remoteSessionTexts(build: (prompts: BlockPrompts) => Promise<string[]>): SessionTexts {
  return {
    async texts(s) {
      const wanted: BlockPrompts = [];
      for (const t of s.turns) if (t.prompt.kind === "blocks") wanted.push({ hashIds: t.prompt.hashIds, tokens: t.prompt.tokens });
      const built = wanted.length === 0 ? [] : await build(wanted);
      let next = 0;
      return s.turns.map((t) => (t.prompt.kind === "text" ? t.prompt.text : built[next++]!));
    },
  };
}

/**
 * `primary` until it fails while `usable()` says it can no longer be used (its count worker died);
 * then, from that session on, `backup()` (made once). A failure of a usable primary (a prompt that
 * cannot be built) is passed on.
 */
export function withFallback(primary: SessionTexts, usable: () => boolean, backup: () => SessionTexts): SessionTexts {
  let fallback: SessionTexts | null = null;
  return {
    async texts(s) {
      if (fallback === null) {
        try {
          return await primary.texts(s);
        } catch (e) {
          if (usable()) throw e;
          fallback = backup();
        }
      }
      return fallback.texts(s);
    },
  };
}

export class PromptFeeder {
  private readonly sent: number[];
  private readonly consumed: number[];
  /** Workers the ordinals are dealt over (see feedWorkers). */
  private readonly workers: number;
  private closed = false;
  private wake: (() => void) | null = null;
  private primedResolve!: () => void;
  readonly done: Promise<void>;
  /** Resolves once each worker has its first prompt (or there is nothing to build). */
  readonly primed = new Promise<void>((resolve) => (this.primedResolve = resolve));

  constructor(
    private readonly target: FeedTarget,
    poolSize: number,
    private readonly dataset: Dataset,
    private readonly source: SessionTexts,
    private readonly spec: Pick<PhaseSpec, "sessionLimit" | "order" | "offsetsNs" | "lanes"> & Partial<Pick<PhaseSpec, "shard">>,
    private readonly seed: number,
    /** A prompt could not be built: the run cannot go on (workers would wait for it forever). */
    onError: (e: Error) => void = () => {},
  ) {
    this.workers = feedWorkers(poolSize, spec);
    this.sent = new Array<number>(this.workers).fill(0);
    this.consumed = new Array<number>(this.workers).fill(0);
    this.done = this.loop()
      .catch((e: unknown) => onError(e instanceof Error ? e : new Error(String(e))))
      .finally(() => this.primedResolve());
  }

  /** A worker's report of prompts used so far this phase. */
  onConsumed(workerId: number, consumed: number): void {
    if (workerId < this.workers && consumed > this.consumed[workerId]!) this.consumed[workerId] = consumed;
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  /** The lowest ordinal not yet sent whose worker has room, or -1. */
  private nextOrdinal(): number {
    let best = -1;
    for (let w = 0; w < this.workers; w++) {
      const sent = this.sent[w]!;
      const ordinal = w + sent * this.workers;
      if (ordinal >= this.spec.sessionLimit || sent - this.consumed[w]! >= LOOKAHEAD) continue;
      if (best < 0 || ordinal < best) best = ordinal;
    }
    return best;
  }

  private async loop(): Promise<void> {
    while (!this.closed) {
      const ordinal = this.nextOrdinal();
      if (ordinal < 0) {
        if (this.sent.every((s, w) => w + s * this.workers >= this.spec.sessionLimit)) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      const session = this.dataset.sessions[sessionOfOrdinal(ordinal, this.spec, this.dataset, this.seed)]!;
      const w = ordinal % this.workers;
      const texts = await this.source.texts(session);
      if (this.closed) return;
      this.target.feed(w, [{ ordinal, texts }]);
      this.sent[w]!++;
      if (ordinal + 1 >= Math.min(this.workers, this.spec.sessionLimit)) this.primedResolve();
      // Let the record sink, timers and signals run between prompts (one can take ~20 ms to build).
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}
