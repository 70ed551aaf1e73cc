// The load worker's counts: on the count worker, or, when it cannot run, on the load worker itself
// with a tokenizer loaded then, long texts in deferred slices.
import { beforeAll, describe, expect, test } from "bun:test";
import { DeferredWork } from "../../../src/client/deferred-work.ts";
import { type TextTokenizer, loadTokenizer } from "../../../src/dataset/tokenizer.ts";
import { batchCounter } from "../../../src/engine/batch-counter.ts";
import type { OffThreadCounter } from "../../../src/engine/off-thread-counter.ts";
import type { CountBatch } from "../../../src/client/request-runner.ts";

let builtin: TextTokenizer;
beforeAll(async () => {
  builtin = await loadTokenizer("builtin");
}, 60_000);

const texts = ["Hello, world!", "", " the", "The quick brown fox. ".repeat(2_000)];

function offThread(countMany: (texts: string[]) => Promise<number[]>): OffThreadCounter {
  return {
    start: () => Promise.resolve(true),
    countMany,
    countTo: (texts, sink, otherwise) => {
      countMany(texts).then(
        (n) => sink.counted(n),
        (e: Error) => otherwise(texts, sink, e),
      );
    },
    close() {},
  };
}

/** What `count` hands its sink, and how many times it did. */
async function countOf(count: CountBatch, texts: string[]): Promise<number[] | null> {
  let calls = 0;
  const got = await new Promise<number[] | null>((resolve) =>
    count(texts, {
      counted: (n) => {
        calls++;
        resolve(n);
      },
    }),
  );
  await Bun.sleep(5);
  expect(calls).toBe(1);
  return got;
}

describe("batchCounter", () => {
  test("the count worker's answer when it has one", async () => {
    const count = batchCounter(
      offThread(async (ts) => ts.map((t) => t.length)),
      "builtin",
      (w) => w(),
    );
    expect(await countOf(count, texts)).toEqual(texts.map((t) => t.length));
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
    const got = (await countOf(count, texts))!;
    expect(got).toEqual(texts.map((t) => builtin.count(t)));
    expect(got[1]).toBe(0);
    expect(slices).toBeGreaterThan(5); // 42,000 characters in 2,048-character slices
  }, 60_000);
});
