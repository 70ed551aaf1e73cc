import { beforeAll, expect, test } from "bun:test";
import { loadTokenizer, type TextTokenizer } from "../../../src/dataset/tokenizer.ts";
import { type CountWorkerIn, type CountWorkerOut, startCountWorker } from "../../../src/engine/count-worker-main.ts";

let builtin: TextTokenizer;
beforeAll(async () => {
  builtin = await loadTokenizer("builtin");
});

// The worker's runtime keeps the init message after its handler returns: while it held the pack (~6 MB
// for the builtin tokenizer), the count worker's heap was ~2 MB larger for the whole run.
test("the init message lets go of its pack; the tokenizer built from it counts", async () => {
  const out: CountWorkerOut[] = [];
  let handler: ((msg: CountWorkerIn) => void) | null = null;
  startCountWorker({ post: (m) => out.push(m), onMessage: (h) => (handler = h) });
  const packed = builtin.pack();
  expect(packed?.length).toBeGreaterThan(1_000_000);
  const init: CountWorkerIn = { type: "init", tokenizer: "builtin", packed };
  handler!(init);
  expect(init.packed).toBeNull();
  for (let i = 0; i < 500 && out.length === 0; i++) await Bun.sleep(10);
  expect(out).toEqual([{ type: "ready" }]);
  handler!({ type: "count", id: 7, texts: ["hello world", ""] });
  expect(out[1]).toEqual({ type: "count", id: 7, tokens: [builtin.count("hello world"), 0] });
});
