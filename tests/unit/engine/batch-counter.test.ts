// The load worker's counts: on the count worker, or, when it cannot run, on the load worker itself
// with a tokenizer loaded then, long texts in deferred slices.
import { beforeAll, describe, expect, test } from "bun:test";
import { DeferredWork } from "../../../src/client/deferred-work.ts";
import { type TextTokenizer, loadTokenizer } from "../../../src/dataset/tokenizer.ts";
import { batchCounter } from "../../../src/engine/load-worker-main.ts";
import type { OffThreadCounter } from "../../../src/engine/off-thread-counter.ts";

let builtin: TextTokenizer;
beforeAll(async () => {
  builtin = await loadTokenizer("builtin");
}, 60_000);

const texts = ["Hello, world!", "", " the", "The quick brown fox. ".repeat(2_000)];

function offThread(countMany: (texts: string[]) => Promise<number[]>): OffThreadCounter {
  return { start: () => Promise.resolve(true), countMany, close() {} };
}

describe("batchCounter", () => {
  test("the count worker's answer when it has one", async () => {
    const count = batchCounter(
      offThread(async (ts) => ts.map((t) => t.length)),
      "builtin",
      (w) => w(),
    );
    expect(await count(texts)).toEqual(texts.map((t) => t.length));
  });

  test("count worker gone: counted here, exactly, the long text in deferred slices", async () => {
    const deferred = new DeferredWork();
    let slices = 0;
    const count = batchCounter(
      offThread(() => Promise.reject(new Error("count worker: no threads"))),
      "builtin",
      (w) => {
        slices++;
        deferred.add(w);
      },
    );
    const got = await count(texts);
    expect(got).toEqual(texts.map((t) => builtin.count(t)));
    expect(got[1]).toBe(0);
    expect(slices).toBeGreaterThan(5); // 42,000 characters in 2,048-character slices
  }, 60_000);
});
