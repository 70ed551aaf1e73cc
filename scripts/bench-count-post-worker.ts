// The count worker's end of scripts/bench-count-post.ts: answers each message as count-worker-main.ts
// does (a length stands in for the tokenizer) and reports its CPU (us) between a round's start and end.
import { countTexts } from "../src/engine/count-worker-main.ts";

declare const self: Worker;
const cpuUs = (): number => {
  const u = process.threadCpuUsage();
  return u.user + u.system;
};
const byLength = { count: (t: string) => t.length };
let start = 0;
self.onmessage = (e: MessageEvent) => {
  const m = e.data as { start?: boolean; end?: boolean; id?: number; texts?: string[]; ids?: number[]; lengths?: number[]; text?: string };
  if (m.start) start = cpuUs();
  else if (m.end) self.postMessage({ cpu_us: cpuUs() - start });
  else if (m.texts) self.postMessage({ type: "count", id: m.id, tokens: m.texts.map((t) => byLength.count(t)) });
  else self.postMessage(countTexts(byLength, { type: "count", ids: m.ids!, lengths: m.lengths!, text: m.text! }));
};
