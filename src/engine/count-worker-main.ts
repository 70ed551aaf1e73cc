// Body of a count worker: counts tokens for load workers, on a thread of its own, so a load worker's
// thread, which stamps arrivals, holds no tokenizer and never counts. Each finished request's texts
// come as one batch (its output, reasoning and every chunk's pieces), however long.
// Measured before batches: counting a 1 MB run on the load worker in 2 KB slices put its event-loop
// lateness at p99 12-25 ms, here it stays at its idle 3-6 ms. With the tokenizer gone from the load
// worker, its heap is a few MB instead of 41 MB of vocabulary (and the garbage collector's swings
// above it), so collections there are short.
//
// One count worker serves several load workers: the main thread starts it, and hands it one end of a
// MessageChannel per load worker ("connect"); the load worker holds the other end. Each count worker
// is a JS heap plus a tokenizer (~70 MB) and ~1 s of CPU to load it, so one per load worker cost
// gigabytes on a many-core machine. Counts sent straight to it (a load worker's own) work too.
import { memoizedCounter } from "../client/piece-counter.ts";
import type { TokenCounter } from "../client/token-counter.ts";
import { loadTokenizer, type TextTokenizer, tokenizerFromPack } from "../dataset/tokenizer.ts";
import { readCachedPack } from "../dataset/tokenizer-pack-cache.ts";
import { type BlockPromptBuilder, createBlockPromptBuilder } from "../dataset/block-prompts.ts";
import { HeapGovernor } from "../runtime/heap-governor.ts";

export type CountWorkerIn =
  /**
   * `packed`: the main thread's tokenizer (TextTokenizer.pack), rebuilt here in about half the CPU of
   * loading `tokenizer`'s files; or `packFile`, a file that holds that pack (TextTokenizer.packFile).
   */
  | { type: "init"; tokenizer: string; packed?: Uint8Array | null; packFile?: string | null }
  | { type: "count"; id: number; texts: string[] }
  /** A load worker's line to this worker: its counts come and go on it. */
  | { type: "connect"; port: MessagePort }
  /** Hash-id prompts of one session (block-prompts.ts), built with this worker's tokenizer for the main thread's feeder. */
  | { type: "build"; id: number; seed: number; blockSize: number; prompts: { hashIds: number[]; tokens: number }[] };
export type CountWorkerOut =
  | { type: "ready" }
  | { type: "count"; id: number; tokens: number[] }
  | { type: "fatal"; message: string }
  /** The built prompts in order, or why they could not be built. */
  | { type: "built"; id: number; texts: string[] }
  | { type: "built"; id: number; error: string };

/**
 * Growth of this worker's heap over its size after the last collection that makes it collect: building
 * a 40,000-token prompt leaves a few MB of garbage, and a trace builds dozens a second. 16 MB rather
 * than 32 with the main thread's 24 rather than 48 (MAIN_HEAP_BUDGET, profile-run.ts, has the figures).
 */
const BUILD_HEAP_BUDGET = { budgetBytes: 16 * 2 ** 20, everyMs: 250 };

export interface CountWorkerPort {
  post(msg: CountWorkerOut): void;
  onMessage(handler: (msg: CountWorkerIn) => void): void;
}

/** A MessagePort as a line this worker answers on. */
export function portLine(port: MessagePort): CountWorkerPort {
  return {
    post: (msg) => port.postMessage(msg),
    onMessage: (handler) => {
      port.onmessage = (e) => handler(e.data as CountWorkerIn);
    },
  };
}

export function startCountWorker(parent: CountWorkerPort, lineOf: (port: MessagePort) => CountWorkerPort = portLine): void {
  // Not under SCHED_IDLE. Measured with the storage threads idle (5 alternating runs each, client on
  // one core): TTFT error p99 1.4 vs 4.0 ms at 100 streams, but 9.0 vs 6.2 ms at 1,000, gap p99 12.0
  // vs 6.8; a saturated 50,000-request run took 31.5-33.8 s vs 30.6-31.5 s.
  // Re-measured on 928a71a (timing-ab, same binary, the policy set once the tokenizer was loaded, order
  // flipped each pair). SCHED_IDLE: at 100 streams gap p99 median 0.62 vs 0.74 ms (lower in 4 of 6); at
  // 1,000 streams gap and TTFT p99 worse in 3 of 4 (up to 8.4 vs 0.8 ms). SCHED_BATCH (no wakeup
  // preemption, still a fair share): gap p99 lower in 3 of 6 at 100 and 3 of 4 at 1,000, TTFT in 4 of 6
  // and 1 of 4: no effect beyond the spread. Why it was tried: a probe build showed ~3% of the load
  // worker's request-finishing steps (which post the count) taking 0.6-0.7 ms of wall time on 0.2-0.4 ms
  // of its own CPU, the core taken by another thread in between.
  let counter: TokenCounter | null = null;
  let tokenizer: Promise<TextTokenizer> | null = null;
  /** Set once the tokenizer is loaded (ready) or cannot be (fatal): told to every line, now or when it connects. */
  let outcome: CountWorkerOut | null = null;
  const lines: CountWorkerPort[] = [parent];
  let builds: PromptBuilds | null = null;
  const serve = (line: CountWorkerPort): void => {
    line.onMessage((msg) => {
      if (msg.type === "init") {
        tokenizer = tokenizerFor(msg.tokenizer, msg.packed ?? (msg.packFile ? readCachedPack(msg.packFile) : null));
        // The message outlives this call: while it held the pack, this worker kept ~2 MB more heap for the
        // run (15.0 vs 13.1 MB after the load with the builtin tokenizer; 26.1 vs 23.5 MB at least in a replay).
        msg.packed = null;
        tokenizer.then(
          (t) => {
            // Streamed chunks repeat the same short texts: memoized (bounded, piece-counter.ts).
            counter = memoizedCounter(t);
            Bun.gc(true);
            settle({ type: "ready" });
          },
          (e: unknown) => settle({ type: "fatal", message: e instanceof Error ? e.message : String(e) }),
        );
      } else if (msg.type === "build") {
        builds ??= new PromptBuilds(tokenizer);
        builds.build(msg).then((out) => line.post(out));
      } else if (msg.type === "connect") {
        const added = lineOf(msg.port);
        lines.push(added);
        serve(added);
        if (outcome !== null) added.post(outcome);
      } else if (counter !== null) {
        const c = counter;
        line.post({ type: "count", id: msg.id, tokens: msg.texts.map((t) => (t === "" ? 0 : c.count(t))) });
      }
    });
  };
  const settle = (o: CountWorkerOut): void => {
    outcome = o;
    for (const l of lines) l.post(o);
  };
  serve(parent);
}

/** Builds hash-id prompts with this worker's tokenizer: one builder per seed and block size. */
class PromptBuilds {
  private readonly builders = new Map<string, BlockPromptBuilder>();

  constructor(private readonly tokenizer: Promise<TextTokenizer> | null) {
    // Runs for the worker's life (its timer is unref'd): this thread stamps nothing, so a full collection's pause only delays counts.
    new HeapGovernor(BUILD_HEAP_BUDGET).start();
  }

  async build(msg: Extract<CountWorkerIn, { type: "build" }>): Promise<CountWorkerOut> {
    try {
      if (this.tokenizer === null) throw new Error("no tokenizer: the count worker was not initialised");
      const tok = await this.tokenizer;
      const key = `${msg.seed}:${msg.blockSize}`;
      let b = this.builders.get(key);
      if (b === undefined) {
        b = createBlockPromptBuilder(tok, { seed: msg.seed, blockSize: msg.blockSize });
        this.builders.set(key, b);
      }
      const builder = b;
      return { type: "built", id: msg.id, texts: msg.prompts.map((p) => builder.build(p.hashIds, p.tokens)) };
    } catch (e) {
      return { type: "built", id: msg.id, error: e instanceof Error ? e.message : String(e) };
    }
  }
}

/** From the main thread's pack (sent, or read from its file) when there is one and it rebuilds; else from the tokenizer's files. */
async function tokenizerFor(spec: string, packed: Uint8Array | null): Promise<TextTokenizer> {
  if (packed !== null) {
    try {
      return tokenizerFromPack(spec, packed);
    } catch {
      // an unreadable pack: the files give the same tokenizer
    }
  }
  return loadTokenizer(spec);
}
