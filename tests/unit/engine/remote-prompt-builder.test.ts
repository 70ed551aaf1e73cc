// Trace prompts built on a count worker: byte-identical to the ones this thread builds with the same
// tokenizer and seed; a prompt that cannot be built, or a dead worker, rejects with the reason.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createBlockPromptBuilder } from "../../../src/dataset/block-prompts.ts";
import type { SessionSpec } from "../../../src/dataset/plan-types.ts";
import { loadTokenizer, type TextTokenizer } from "../../../src/dataset/tokenizer.ts";
import type { CountWorkerIn, CountWorkerOut } from "../../../src/engine/count-worker-main.ts";
import { RemotePromptBuilder } from "../../../src/engine/remote-prompt-builder.ts";
import { localSessionTexts, remoteSessionTexts } from "../../../src/run/prompt-feeder.ts";
import { spawnCountWorker } from "../../../src/spawn-count-worker.ts";

let builtin: TextTokenizer;
let worker: Worker;
beforeAll(async () => {
  builtin = await loadTokenizer("builtin");
  worker = spawnCountWorker();
  const ready = new Promise<void>((resolve) => worker.addEventListener("message", (e: MessageEvent<CountWorkerOut>) => e.data.type === "ready" && resolve()));
  worker.postMessage({ type: "init", tokenizer: "builtin", packed: builtin.pack() } satisfies CountWorkerIn);
  await ready;
}, 60_000);
afterAll(() => worker.terminate());

const turn = (prompt: SessionSpec["turns"][number]["prompt"]): SessionSpec["turns"][number] => ({ prompt, maxTokens: 4, timestampMs: 0, delayMs: 0 });

describe("RemotePromptBuilder on a count worker", () => {
  test("prompts are byte-identical to this thread's, shared leading ids give shared prefixes", async () => {
    const remote = new RemotePromptBuilder(worker, 7, 64);
    const local = createBlockPromptBuilder(builtin, { seed: 7, blockSize: 64 });
    const prompts = [
      { hashIds: [1, 2, 3], tokens: 64 * 2 + 10 },
      { hashIds: [1, 2, 9], tokens: 64 * 3 },
      { hashIds: [5], tokens: 1 },
      { hashIds: [], tokens: 0 },
    ];
    const texts = await remote.build(prompts);
    expect(texts.length).toBe(prompts.length);
    expect(texts).toEqual(prompts.map((p) => local.build(p.hashIds, p.tokens)));
    expect(texts.map((t) => builtin.count(t))).toEqual([138, 192, 1, 0]);
    const shared = local.build([1, 2], 128);
    expect(texts[0]!.startsWith(shared) && texts[1]!.startsWith(shared)).toBe(true);
    // Another seed is another builder on the worker, with other texts.
    const [other] = await new RemotePromptBuilder(worker, 8, 64).build([prompts[0]!]);
    expect(other).not.toBe(texts[0]);
    expect(builtin.count(other!)).toBe(138);
  }, 60_000);

  test("a layout that cannot hold its tokens rejects with the reason; the builder goes on", async () => {
    const remote = new RemotePromptBuilder(worker, 7, 64);
    await expect(remote.build([{ hashIds: [1, 2], tokens: 500 }])).rejects.toThrow("the last block would hold 436 tokens");
    expect(remote.unusable).toBe(false);
    expect((await remote.build([{ hashIds: [4], tokens: 3 }])).map((t) => builtin.count(t))).toEqual([3]);
  }, 60_000);

  test("remoteSessionTexts: literal turns as they are, hash-id turns built, in turn order, one request per session", async () => {
    const asked: number[] = [];
    const remote = new RemotePromptBuilder(worker, 7, 64);
    const source = remoteSessionTexts((p) => (asked.push(p.length), remote.build(p)));
    const session: SessionSpec = {
      sessionId: "s",
      turns: [
        turn({ kind: "blocks", hashIds: [1, 2], tokens: 100 }),
        turn({ kind: "text", text: "literal", tokens: 1 }),
        turn({ kind: "blocks", hashIds: [3], tokens: 5 }),
      ],
    };
    const local = localSessionTexts(createBlockPromptBuilder(builtin, { seed: 7, blockSize: 64 }));
    const got = await source.texts(session);
    expect(got).toEqual(await local.texts(session));
    expect(got[1]).toBe("literal");
    expect(asked).toEqual([2]);
    expect(await source.texts({ sessionId: "t", turns: [turn({ kind: "text", text: "only", tokens: 1 })] })).toEqual(["only"]);
    expect(asked).toEqual([2]);
  }, 60_000);
});

describe("RemotePromptBuilder, failures", () => {
  test("a worker that crashes rejects what waits and what comes later", async () => {
    const listeners: Record<string, ((e: unknown) => void)[]> = { message: [], error: [] };
    const posted: CountWorkerIn[] = [];
    const fake = {
      postMessage: (m: CountWorkerIn) => void posted.push(m),
      addEventListener: (type: string, fn: (e: unknown) => void) => void listeners[type]?.push(fn),
    };
    const remote = new RemotePromptBuilder(fake as unknown as Worker, 1, 16);
    const waiting = remote.build([{ hashIds: [1], tokens: 3 }]);
    expect(posted.map((m) => m.type)).toEqual(["build"]);
    for (const fn of listeners.error!) fn({ message: "boom" });
    await expect(waiting).rejects.toThrow("count worker crashed: boom");
    expect(remote.unusable).toBe(true);
    await expect(remote.build([{ hashIds: [2], tokens: 3 }])).rejects.toThrow("count worker crashed: boom");
    expect(posted.length).toBe(1);
  });

  test("a count worker that could not load its tokenizer rejects", async () => {
    const listeners: ((e: { data: CountWorkerOut }) => void)[] = [];
    const fake = {
      postMessage: () => {},
      addEventListener: (type: string, fn: (e: { data: CountWorkerOut }) => void) => void (type === "message" && listeners.push(fn)),
    };
    const remote = new RemotePromptBuilder(fake as unknown as Worker, 1, 16);
    const waiting = remote.build([{ hashIds: [1], tokens: 3 }]);
    for (const fn of listeners) fn({ data: { type: "fatal", message: "cannot read tokenizer.json" } });
    await expect(waiting).rejects.toThrow("count worker: cannot read tokenizer.json");
    expect(remote.unusable).toBe(true);
  });
});
