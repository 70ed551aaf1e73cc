// Body of a count worker: counts the tokens of huge texts (outputs over OFFLOAD_CHARS) for a load
// worker, on a thread of its own, so the load worker's thread, which stamps arrivals, stays idle and
// is woken promptly (measured: counting a 1 MB run there in 2 KB slices put its event-loop lateness at
// p99 12-25 ms; here the load worker's stays at its idle 3-6 ms).
import { loadTokenizer, type TextTokenizer } from "../dataset/tokenizer.ts";

export type CountWorkerIn = { type: "init"; tokenizer: string } | { type: "count"; id: number; text: string };
export type CountWorkerOut = { type: "ready" } | { type: "count"; id: number; tokens: number } | { type: "fatal"; message: string };

export interface CountWorkerPort {
  post(msg: CountWorkerOut): void;
  onMessage(handler: (msg: CountWorkerIn) => void): void;
}

export function startCountWorker(port: CountWorkerPort): void {
  let tok: TextTokenizer | null = null;
  port.onMessage((msg) => {
    if (msg.type === "init") {
      loadTokenizer(msg.tokenizer).then(
        (t) => {
          tok = t;
          port.post({ type: "ready" });
        },
        (e: unknown) => port.post({ type: "fatal", message: e instanceof Error ? e.message : String(e) }),
      );
    } else if (tok !== null) {
      port.post({ type: "count", id: msg.id, tokens: tok.count(msg.text) });
    }
  });
}
