// The receiving end of scripts/bench-record-post.ts: takes batches as objects or encoded, decodes the
// encoded ones to records (as the main thread does before storing them), and reports the CPU time
// (us) this thread spent between a round's start and end messages.
import { decodeRecords, type EncodedRecords } from "../src/record/record-codec.ts";

declare const self: Worker;
const cpuUs = (): number => {
  const u = process.threadCpuUsage();
  return u.user + u.system;
};
let start = 0;
let seen = 0;
self.onmessage = (e: MessageEvent<{ records?: unknown[]; batch?: EncodedRecords; start?: boolean; end?: boolean }>) => {
  const m = e.data;
  if (m.start) start = cpuUs();
  else if (m.end) self.postMessage({ cpu_us: cpuUs() - start, seen });
  else seen += m.batch ? decodeRecords(m.batch).length : (m.records?.length ?? 0);
};
