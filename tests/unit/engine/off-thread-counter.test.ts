// The count worker: started on first use (or start()), counts batches of texts as the tokenizer does on
// this thread, and rejects (so the caller counts on its own thread) when it cannot start or is closed.
import { beforeAll, describe, expect, test } from "bun:test";
import { createOffThreadCounter } from "../../../src/engine/off-thread-counter.ts";
import { spawnCountWorker } from "../../../src/spawn-count-worker.ts";
import { type TextTokenizer, loadTokenizer } from "../../../src/dataset/tokenizer.ts";

let builtin: TextTokenizer;
beforeAll(async () => {
  builtin = await loadTokenizer("builtin");
}, 60_000);

describe("createOffThreadCounter", () => {
  test("spawns nothing until the first count; counts as the tokenizer here does", async () => {
    let spawned = 0;
    const c = createOffThreadCounter("builtin", () => (spawned++, spawnCountWorker()));
    expect(spawned).toBe(0);
    const texts = ["Hello, world!", "x".repeat(300_000), "The quick brown fox. ".repeat(5_000)];
    const got = await Promise.all(texts.map((t) => c.countMany([t]))); // sent before the worker is ready: queued
    expect(got).toEqual(texts.map((t) => [builtin.count(t)]));
    expect(await c.countMany(["one more"])).toEqual([builtin.count("one more")]);
    expect(spawned).toBe(1);
    c.close();
  }, 60_000);

  test("countMany: one batch, each text's count in order ('' is 0); start() spawns at once", async () => {
    let spawned = 0;
    const c = createOffThreadCounter("builtin", () => (spawned++, spawnCountWorker()));
    const ready = c.start();
    expect(spawned).toBe(1);
    expect(await ready).toBe(true);
    const texts = ["Hello, world!", "", " the", " the", "日本語のテキスト", "x".repeat(70_000)];
    const got = await c.countMany(texts);
    expect(got.length).toBe(texts.length);
    expect(got).toEqual(texts.map((t) => builtin.count(t)));
    expect(got[1]).toBe(0);
    expect(await c.countMany([])).toEqual([]);
    c.start();
    expect(spawned).toBe(1);
    c.close();
  }, 60_000);

  test("a tokenizer the worker cannot load: start() says so, and every count rejects, now and later", async () => {
    const c = createOffThreadCounter("/no/such/tokenizer.json");
    expect(await c.start()).toBe(false);
    await expect(c.countMany(["a"])).rejects.toThrow("count worker: --tokenizer /no/such/tokenizer.json");
    await expect(c.countMany(["b"])).rejects.toThrow("count worker");
  }, 60_000);

  test("a worker that cannot be spawned: rejects", async () => {
    const c = createOffThreadCounter("builtin", () => {
      throw new Error("no threads");
    });
    await expect(c.countMany(["a"])).rejects.toThrow("no threads");
  });

  test("close() rejects what is pending", async () => {
    const c = createOffThreadCounter("builtin");
    const p = c.countMany(["pending"]);
    c.close();
    await expect(p).rejects.toThrow("count worker closed");
  });
});
