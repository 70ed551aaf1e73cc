// Hash-id prompts built on a count worker (its tokenizer) for the main thread's feeder: the main
// thread then holds no tokenizer during a trace replay, and building (counting every assembled prompt:
// 42 of 58 s of the main thread's time replaying the Mooncake trace) runs beside the load instead of
// on the thread that stores records. A block's text is a pure function of the tokenizer, the seed,
// its hash id and size (block-prompts.ts), so the prompts are the same whichever thread builds them.
import type { CountWorkerIn, CountWorkerOut } from "./count-worker-main.ts";

/** Prompts to build: each a list of hash ids and its exact token count. */
export type BlockPrompts = { hashIds: number[]; tokens: number }[];

export class RemotePromptBuilder {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (texts: string[]) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;

  constructor(
    private readonly worker: Pick<Worker, "postMessage" | "addEventListener">,
    private readonly seed: number,
    private readonly blockSize: number,
  ) {
    worker.addEventListener("message", (e: MessageEvent<CountWorkerOut>) => this.onMessage(e.data));
    worker.addEventListener("error", (e: ErrorEvent) => this.fail(new Error(`count worker crashed: ${e.message}`)));
  }

  /** The count worker crashed or could not load its tokenizer: nothing more can be built here. */
  get unusable(): boolean {
    return this.failure !== null;
  }

  /** The texts of `prompts`, in order; rejects with the reason a prompt cannot be built. */
  build(prompts: BlockPrompts): Promise<string[]> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: "build", id, seed: this.seed, blockSize: this.blockSize, prompts } satisfies CountWorkerIn);
    });
  }

  private onMessage(m: CountWorkerOut): void {
    if (m.type === "fatal") this.fail(new Error(`count worker: ${m.message}`));
    if (m.type !== "built") return;
    const p = this.pending.get(m.id);
    this.pending.delete(m.id);
    if ("error" in m) p?.reject(new Error(m.error));
    else p?.resolve(m.texts);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
