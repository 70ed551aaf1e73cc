// Counts tokens on a count worker (count-worker-main.ts): a load worker's texts go there in one batch
// per request, so the load worker loads no tokenizer (~41 MB of heap, ~1 s) and never counts.
// Requests' batches wait up to COALESCE_MS to leave together, as one string and the texts' lengths:
// a message per request with its texts as strings cost ~20 us of the sending thread's CPU (the thread
// that stamps arrivals) and ~15 us of the count worker's per request; four to a message ~9 and ~6,
// sixteen ~5 and ~3 (`bun scripts/bench.ts count-post`).
// The count worker is either one the main thread started and shares between load workers (reached
// through a MessagePort: `portCountLine`), or this thread's own (`ownCountWorker`).
// Counts sent before the worker is ready wait for it. If it cannot start or dies, every pending and
// later count is rejected, and the caller counts on its own thread instead.
import type { CountWorkerIn, CountWorkerOut } from "./count-worker-main.ts";
import { spawnCountWorker } from "../spawn-count-worker.ts";

/** How long a request's texts may wait for others to go with them (ms): counts only delay when its record is sent on. */
const COALESCE_MS = 5;
/** ... or they leave at once when this many requests, or characters, wait. */
const FLUSH_AT_BATCHES = 32;
const FLUSH_AT_CHARS = 256 * 1024;

export interface OffThreadCounter {
  /** Starts the worker now (counts start it anyway); resolves true once its tokenizer is loaded, false if it cannot count. */
  start(): Promise<boolean>;
  /** The token count of each text, in order. */
  countMany(texts: string[]): Promise<number[]>;
  /** Stops the worker (if started); pending counts are rejected. */
  close(): void;
}

/** How this thread talks to a count worker. */
export interface CountLine {
  post(msg: CountWorkerIn): void;
  /** Answers, and the line's failure (the worker crashed). */
  listen(onMessage: (msg: CountWorkerOut) => void, onError: (e: Error) => void): void;
  close(): void;
  /** This side sends the tokenizer ("init"): true for a worker of its own, false when the main thread did. */
  readonly sendsInit: boolean;
}

/** A count worker of this thread's own. */
export function ownCountWorker(worker: Worker): CountLine {
  worker.unref(); // never what keeps the load worker alive
  return {
    post: (msg) => worker.postMessage(msg),
    listen: (onMessage, onError) => {
      worker.onmessage = (e: MessageEvent<CountWorkerOut>) => onMessage(e.data);
      worker.onerror = (e) => onError(new Error(`count worker: ${e.message}`));
    },
    close: () => worker.terminate(),
    sendsInit: true,
  };
}

/** A line to a count worker the main thread started (it sent the tokenizer and the other end of `port`). */
export function portCountLine(port: MessagePort): CountLine {
  (port as MessagePort & { unref?: () => void }).unref?.();
  return {
    post: (msg) => port.postMessage(msg),
    listen: (onMessage) => {
      port.onmessage = (e) => onMessage(e.data as CountWorkerOut);
    },
    close: () => port.close(),
    sendsInit: false,
  };
}

export function createOffThreadCounter(tokenizer: string, open: () => CountLine = () => ownCountWorker(spawnCountWorker())): OffThreadCounter {
  return new CountClient(tokenizer, open);
}

/** This thread's side of a count line: batches queued, sent together, and answered by id. */
class CountClient implements OffThreadCounter {
  private line: CountLine | null = null;
  private ready = false;
  private failed: Error | null = null;
  private nextId = 0;
  /** Batches not posted yet (the worker is not ready, or they wait for others). */
  private queued: QueuedBatch[] = [];
  private queuedChars = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Posted batches, by id, until their counts come back. */
  private readonly pending = new Map<number, { size: number; resolve: (n: number[]) => void; reject: (e: Error) => void }>();
  private readonly readiness = Promise.withResolvers<boolean>();

  constructor(
    private readonly tokenizer: string,
    private readonly open: () => CountLine,
  ) {}

  start(): Promise<boolean> {
    this.openOnce();
    return this.readiness.promise;
  }

  countMany(texts: string[]): Promise<number[]> {
    if (this.failed) return Promise.reject(this.failed);
    this.openOnce();
    if (this.failed || this.line === null) return Promise.reject(this.failed ?? new Error("count worker closed"));
    return new Promise((resolve, reject) => {
      this.queued.push({ id: this.nextId++, texts, resolve, reject });
      for (const t of texts) this.queuedChars += t.length;
      if (this.queued.length >= FLUSH_AT_BATCHES || this.queuedChars >= FLUSH_AT_CHARS) this.flush();
      else this.timer ??= setTimeout(this.flush, COALESCE_MS);
    });
  }

  close(): void {
    this.fail(new Error("count worker closed"));
  }

  private openOnce(): void {
    if (this.line !== null || this.failed !== null) return;
    let opened: CountLine;
    try {
      opened = this.open();
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    this.line = opened;
    opened.listen(
      (msg) => this.onMessage(msg),
      (e) => this.fail(e),
    );
    if (opened.sendsInit) opened.post({ type: "init", tokenizer: this.tokenizer });
  }

  private onMessage(msg: CountWorkerOut): void {
    if (msg.type === "ready") {
      this.ready = true;
      this.readiness.resolve(true);
      this.flush();
    } else if (msg.type === "count") this.answer(msg.ids, msg.tokens);
    else if (msg.type === "fatal") this.fail(new Error(`count worker: ${msg.message}`));
  }

  /** Hands each batch of `ids` its counts: the next `size` of `tokens`, in order. */
  private answer(ids: readonly number[], tokens: readonly number[]): void {
    let at = 0;
    for (const id of ids) {
      const p = this.pending.get(id);
      this.pending.delete(id);
      const size = p?.size ?? 0;
      p?.resolve(tokens.slice(at, at + size));
      at += size;
    }
  }

  /** Posts every queued batch in one message (once the worker is ready). */
  private readonly flush = (): void => {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (!this.ready || this.line === null || this.queued.length === 0) return;
    const batches = this.queued;
    this.queued = [];
    this.queuedChars = 0;
    for (const q of batches) this.pending.set(q.id, { size: q.texts.length, resolve: q.resolve, reject: q.reject });
    this.line.post(countMessage(batches));
  };

  private fail(e: Error): void {
    this.failed = e;
    this.readiness.resolve(false);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const q of this.queued) q.reject(e);
    this.queued = [];
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.line?.close();
    this.line = null;
  }
}

interface QueuedBatch {
  id: number;
  texts: string[];
  resolve: (n: number[]) => void;
  reject: (e: Error) => void;
}

/** Several requests' texts as one message: one string and each text's length (the sender knows how many texts each request has). */
export function countMessage(batches: readonly { id: number; texts: readonly string[] }[]): Extract<CountWorkerIn, { type: "count" }> {
  const ids: number[] = [];
  const lengths: number[] = [];
  const parts: string[] = [];
  for (const b of batches) {
    ids.push(b.id);
    for (const t of b.texts) {
      lengths.push(t.length);
      parts.push(t);
    }
  }
  return { type: "count", ids, lengths, text: parts.join("") };
}
