// Prompts built ahead on the main thread wait here (by session ordinal) until their session is sent.
import type { FedPrompt } from "./worker-protocol.ts";

export class PromptStore {
  private readonly ready = new Map<number, string[]>();
  private readonly waiting = new Map<number, (texts: string[] | null) => void>();
  /** Prompts taken this phase; reported to the feeder, which keeps a bounded number outstanding. */
  consumed = 0;

  put(items: readonly FedPrompt[]): void {
    for (const it of items) {
      const w = this.waiting.get(it.ordinal);
      if (w) {
        this.waiting.delete(it.ordinal);
        this.consumed++;
        w(it.texts);
      } else {
        this.ready.set(it.ordinal, it.texts);
      }
    }
  }

  /** The texts of `ordinal`, now or when they arrive; null if the phase ends first (see close()). */
  take(ordinal: number): Promise<string[] | null> {
    const texts = this.ready.get(ordinal);
    if (texts) {
      this.ready.delete(ordinal);
      this.consumed++;
      return Promise.resolve(texts);
    }
    return new Promise((resolve) => this.waiting.set(ordinal, resolve));
  }

  /** Ends the phase: pending takes get null, leftovers are dropped. */
  close(): void {
    for (const w of this.waiting.values()) w(null);
    this.waiting.clear();
    this.ready.clear();
    this.consumed = 0;
  }
}
