// Worker entry point. It sits beside main.ts so `new URL("./load-worker.ts", import.meta.url)`
// resolves the same way from source and inside the compiled binary (where it is an extra entrypoint).
import { startLoadWorker } from "./engine/load-worker-main.ts";
import type { MainToWorker, WorkerToMain } from "./engine/worker-protocol.ts";

declare const self: Worker;

startLoadWorker({
  post: (msg: WorkerToMain, transfer?: Bun.Transferable[]) => self.postMessage(msg, transfer ?? []),
  onMessage: (handler) => {
    self.onmessage = (e: MessageEvent<MainToWorker>) => handler(e.data);
  },
});
