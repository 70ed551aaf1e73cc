// The count worker: started on first use (or start()), counts batches of texts as the tokenizer does on
// this thread, and rejects (so the caller counts on its own thread) when it cannot start or is closed.
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOffThreadCounter, ownCountWorker, portCountLine } from "../../../src/engine/off-thread-counter.ts";
import type { CountWorkerIn } from "../../../src/engine/count-worker-main.ts";
import type { CountSink } from "../../../src/client/request-runner.ts";
import { spawnCountWorker } from "../../../src/spawn-count-worker.ts";
import { type TextTokenizer, loadTokenizer } from "../../../src/dataset/tokenizer.ts";

let builtin: TextTokenizer;
beforeAll(async () => {
  builtin = await loadTokenizer("builtin");
}, 60_000);

describe("createOffThreadCounter", () => {
  test("spawns nothing until the first count; counts as the tokenizer here does", async () => {
    let spawned = 0;
    const c = createOffThreadCounter("builtin", () => (spawned++, ownCountWorker(spawnCountWorker())));
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
    const c = createOffThreadCounter("builtin", () => (spawned++, ownCountWorker(spawnCountWorker())));
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

  test("countTo: each sink gets its own counts once; a count lost with the worker goes to the fallback with its texts, now and later", async () => {
    const c = createOffThreadCounter("builtin");
    const answers: { sink: number; n: number[] | null }[] = [];
    const fallback: { texts: string[]; sink: number; message: string }[] = [];
    const sinks = [0, 1, 2].map((i) => ({ i, counted: (n: number[] | null) => answers.push({ sink: i, n }) }));
    const otherwise = (texts: string[], sink: CountSink, e: Error): void => {
      fallback.push({ texts, sink: (sinks as CountSink[]).indexOf(sink), message: e.message });
    };
    const texts = [["Hello, world!", ""], ["日本語のテキスト"]];
    c.countTo(texts[0]!, sinks[0]!, otherwise);
    c.countTo(texts[1]!, sinks[1]!, otherwise);
    while (answers.length < 2) await Bun.sleep(5);
    expect(answers.sort((a, b) => a.sink - b.sink)).toEqual(texts.map((t, i) => ({ sink: i, n: t.map((x) => builtin.count(x)) })));
    expect(fallback).toEqual([]);
    const pendingTexts = ["still pending"];
    c.countTo(pendingTexts, sinks[2]!, otherwise);
    c.close();
    c.countTo(["after close"], sinks[0]!, otherwise);
    expect(fallback).toEqual([
      { texts: pendingTexts, sink: 2, message: "count worker closed" },
      { texts: ["after close"], sink: 0, message: "count worker closed" },
    ]);
    await Bun.sleep(20);
    expect(answers.length).toBe(2);
  }, 60_000);

  test("close() rejects what is pending", async () => {
    const c = createOffThreadCounter("builtin");
    const p = c.countMany(["pending"]);
    c.close();
    await expect(p).rejects.toThrow("count worker closed");
  });

  test("one count worker started here serves two lines (as the main thread shares one between load workers)", async () => {
    const shared = spawnCountWorker();
    shared.postMessage({ type: "init", tokenizer: "builtin" } satisfies CountWorkerIn);
    const ends = [new MessageChannel(), new MessageChannel()].map((ch) => {
      shared.postMessage({ type: "connect", port: ch.port1 } satisfies CountWorkerIn, [ch.port1]);
      return ch.port2;
    });
    const counters = ends.map((port) => createOffThreadCounter("builtin", () => portCountLine(port)));
    expect(await Promise.all(counters.map((c) => c.start()))).toEqual([true, true]);
    const texts = [
      ["Hello, world!", ""],
      ["The quick brown fox. ".repeat(2_000), "日本語のテキスト"],
    ];
    const got = await Promise.all(counters.map((c, i) => c.countMany(texts[i]!)));
    expect(got).toEqual(texts.map((batch) => batch.map((t) => builtin.count(t))));
    for (const c of counters) c.close();
    shared.terminate();
  }, 60_000);

  test("a shared count worker whose tokenizer fails tells every line, also one connected later", async () => {
    const shared = spawnCountWorker();
    const first = new MessageChannel();
    shared.postMessage({ type: "connect", port: first.port1 } satisfies CountWorkerIn, [first.port1]);
    shared.postMessage({ type: "init", tokenizer: "/no/such/tokenizer.json" } satisfies CountWorkerIn);
    const a = createOffThreadCounter("unused", () => portCountLine(first.port2));
    expect(await a.start()).toBe(false);
    const later = new MessageChannel();
    shared.postMessage({ type: "connect", port: later.port1 } satisfies CountWorkerIn, [later.port1]);
    const b = createOffThreadCounter("unused", () => portCountLine(later.port2));
    expect(await b.start()).toBe(false);
    await expect(b.countMany(["x"])).rejects.toThrow("count worker: --tokenizer /no/such/tokenizer.json");
    shared.terminate();
  }, 60_000);

  test("a count worker given the main thread's pack counts from it, without the tokenizer's files", async () => {
    const w = spawnCountWorker();
    // The spec names no file: only the pack can give this worker a tokenizer.
    w.postMessage({ type: "init", tokenizer: "/no/such/tokenizer.json", packed: builtin.pack() } satisfies CountWorkerIn);
    const c = createOffThreadCounter("unused", () => ({ ...ownCountWorker(w), sendsInit: false }));
    expect(await c.start()).toBe(true);
    const texts = ["Hello, world!", "", "日本語のテキスト 🎉", "The quick brown fox. ".repeat(2_000), "x".repeat(70_000)];
    expect(await c.countMany(texts)).toEqual(texts.map((t) => builtin.count(t)));
    c.close();
    w.terminate();
  }, 60_000);

  test("a count worker given the file of the main thread's pack reads it there, without the tokenizer's files", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "llmbench-pack-file-")), "builtin.pack");
    writeFileSync(file, builtin.pack()!);
    const w = spawnCountWorker();
    // The spec names no file: only the pack file can give this worker a tokenizer.
    w.postMessage({ type: "init", tokenizer: "/no/such/tokenizer.json", packFile: file } satisfies CountWorkerIn);
    const c = createOffThreadCounter("unused", () => ({ ...ownCountWorker(w), sendsInit: false }));
    expect(await c.start()).toBe(true);
    const texts = ["Hello, world!", "", "日本語のテキスト 🎉", "The quick brown fox. ".repeat(500)];
    expect(await c.countMany(texts)).toEqual(texts.map((t) => builtin.count(t)));
    c.close();
    w.terminate();
    rmSync(file, { force: true });
  }, 60_000);

  test("a pack file that is not there: the count worker loads the tokenizer's files instead", async () => {
    const w = spawnCountWorker();
    w.postMessage({ type: "init", tokenizer: "builtin", packFile: join(tmpdir(), "llmbench-no-such-dir", "x.pack") } satisfies CountWorkerIn);
    const c = createOffThreadCounter("unused", () => ({ ...ownCountWorker(w), sendsInit: false }));
    expect(await c.start()).toBe(true);
    expect(await c.countMany(["Hello, world!"])).toEqual([builtin.count("Hello, world!")]);
    c.close();
    w.terminate();
  }, 60_000);

  test("an unreadable pack: the count worker loads the tokenizer's files instead", async () => {
    const w = spawnCountWorker();
    w.postMessage({ type: "init", tokenizer: "builtin", packed: new TextEncoder().encode('{"format":1}\nnot a pack') } satisfies CountWorkerIn);
    const c = createOffThreadCounter("unused", () => ({ ...ownCountWorker(w), sendsInit: false }));
    expect(await c.start()).toBe(true);
    expect(await c.countMany(["Hello, world!", " the end"])).toEqual([builtin.count("Hello, world!"), builtin.count(" the end")]);
    c.close();
    w.terminate();
  }, 60_000);
});
