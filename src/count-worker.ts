// Count-worker entry point (see engine/count-worker-main.ts). It sits beside main.ts and load-worker.ts
// so `new URL("./count-worker.ts", import.meta.url)` resolves the same way from source and inside the
// compiled binary (where it is an extra entrypoint).
import { startCountWorker, type CountWorkerIn, type CountWorkerOut } from "./engine/count-worker-main.ts";

declare const self: Worker;

startCountWorker({
  post: (msg: CountWorkerOut) => self.postMessage(msg),
  onMessage: (handler) => {
    self.onmessage = (e: MessageEvent<CountWorkerIn>) => handler(e.data);
  },
});
