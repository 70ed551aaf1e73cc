// The count worker: started on first use (or start()), counts batches of texts as the tokenizer does on
// this thread, and rejects (so the caller counts on its own thread) when it cannot start or is closed.
import { beforeAll, describe, expect, test } from "bun:test";
import { type CountLine, countMessage, createOffThreadCounter, ownCountWorker, portCountLine } from "../../../src/engine/off-thread-counter.ts";
import { type CountWorkerIn, type CountWorkerOut, countTexts } from "../../../src/engine/count-worker-main.ts";
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

  test("an unreadable pack: the count worker loads the tokenizer's files instead", async () => {
    const w = spawnCountWorker();
    w.postMessage({ type: "init", tokenizer: "builtin", packed: '{"format":1}\nnot a pack' } satisfies CountWorkerIn);
    const c = createOffThreadCounter("unused", () => ({ ...ownCountWorker(w), sendsInit: false }));
    expect(await c.start()).toBe(true);
    expect(await c.countMany(["Hello, world!", " the end"])).toEqual([builtin.count("Hello, world!"), builtin.count(" the end")]);
    c.close();
    w.terminate();
  }, 60_000);
});

/** A count line that keeps what is posted on it and answers only when told to (each text's length as its count). */
function fakeLine() {
  const posted: CountWorkerIn[] = [];
  let answer: ((m: CountWorkerOut) => void) | null = null;
  const line: CountLine = {
    post: (m) => posted.push(m),
    listen: (onMessage) => {
      answer = onMessage;
    },
    close: () => {},
    sendsInit: false,
  };
  const counts = () => posted.filter((m): m is Extract<CountWorkerIn, { type: "count" }> => m.type === "count");
  return {
    line,
    counts,
    ready: () => answer!({ type: "ready" }),
    answerAll: () => {
      for (const m of counts()) answer!(countTexts({ count: (t) => t.length }, m));
    },
  };
}

describe("count batches leave together", () => {
  test("requests counted in the same turn go in one message, and each gets its own counts back", async () => {
    const f = fakeLine();
    const c = createOffThreadCounter("builtin", () => f.line);
    const started = c.start();
    f.ready();
    expect(await started).toBe(true);
    const a = c.countMany(["abc", "", "de"]);
    const b = c.countMany(["日本語", "🎉x"]);
    const d = c.countMany([]);
    expect(f.counts().length).toBe(0); // they wait a few ms for others
    await Bun.sleep(30);
    expect(f.counts().length).toBe(1);
    expect(f.counts()[0]).toEqual({ type: "count", ids: [0, 1, 2], lengths: [3, 0, 2, 3, 3], text: "abcde日本語🎉x" });
    f.answerAll();
    expect(await a).toEqual([3, 0, 2]);
    expect(await b).toEqual([3, 3]);
    expect(await d).toEqual([]);
    c.close();
  });

  test("32 waiting requests leave at once, without waiting for the timer", async () => {
    const f = fakeLine();
    const c = createOffThreadCounter("builtin", () => f.line);
    void c.start();
    f.ready();
    const all = Array.from({ length: 32 }, (_, i) => c.countMany(["x".repeat(i)]));
    expect(f.counts().length).toBe(1);
    expect(f.counts()[0]!.ids.length).toBe(32);
    f.answerAll();
    expect(await Promise.all(all)).toEqual(Array.from({ length: 32 }, (_, i) => [i]));
    c.close();
  });

  test("texts sent before the worker is ready leave in one message when it is", async () => {
    const f = fakeLine();
    const c = createOffThreadCounter("builtin", () => f.line);
    const a = c.countMany(["one"]);
    const b = c.countMany(["three"]);
    await Bun.sleep(30);
    expect(f.counts().length).toBe(0);
    f.ready();
    expect(f.counts().length).toBe(1);
    expect(f.counts()[0]!.ids).toEqual([0, 1]);
    f.answerAll();
    expect([await a, await b]).toEqual([[3], [5]]);
    c.close();
  });

  test("closing rejects both the requests still waiting to leave and those sent", async () => {
    const f = fakeLine();
    const c = createOffThreadCounter("builtin", () => f.line);
    void c.start();
    f.ready();
    const sent = Array.from({ length: 32 }, () => c.countMany(["a"]));
    const waiting = c.countMany(["b"]);
    expect(f.counts().length).toBe(1);
    c.close();
    const settled = await Promise.allSettled([...sent, waiting]);
    expect(settled.length).toBe(33);
    expect(settled.every((r) => r.status === "rejected" && String(r.reason).includes("count worker closed"))).toBe(true);
    await Bun.sleep(30);
    expect(f.counts().length).toBe(1); // the closed line's timer posted nothing
  });

  test.each([
    ["nothing", []],
    ["empty texts only", [{ id: 4, texts: ["", ""] }]],
    [
      "several requests, surrogate pairs and newlines",
      [
        { id: 1, texts: ["a\nb", "🎉"] },
        { id: 2, texts: [] },
        { id: 3, texts: ["ß", "", "x".repeat(1000)] },
      ],
    ],
  ] as const)("countMessage and countTexts: %s round-trips every text, in order", (_n, batches) => {
    const texts: string[] = batches.flatMap((b) => [...b.texts]);
    const seen: string[] = [];
    const out = countTexts(
      {
        count: (t) => {
          seen.push(t);
          return t.length + 100;
        },
      },
      countMessage(batches),
    );
    expect(out).toEqual({ type: "count", ids: batches.map((b) => b.id), tokens: texts.map((t) => (t === "" ? 0 : t.length + 100)) });
    expect(seen).toEqual(texts.filter((t) => t !== ""));
  });
});
