// Dashboard-thread entry point (see report/dashboard-thread-main.ts). It sits beside main.ts so
// `new URL("./dashboard-worker.ts", import.meta.url)` resolves the same way from source and inside the
// compiled binary (where it is an extra entrypoint).
import { type DashboardIn, type DashboardOut, startDashboardThread } from "./report/dashboard-thread-main.ts";

declare const self: Worker;

startDashboardThread({
  post: (msg: DashboardOut) => self.postMessage(msg),
  onMessage: (handler) => {
    self.onmessage = (e: MessageEvent<DashboardIn>) => handler(e.data);
  },
});
