import { describe, expect, test } from "bun:test";
import { localSessionTexts, PromptFeeder, type SessionTexts, withFallback } from "../../../src/run/prompt-feeder.ts";
import type { BlockPromptBuilder } from "../../../src/dataset/block-prompts.ts";
import type { Dataset } from "../../../src/dataset/plan-types.ts";

const dataset: Dataset = {
  sessions: Array.from({ length: 5 }, (_, i) => ({
    sessionId: `s${i}`,
    turns: [
      { prompt: { kind: "blocks", hashIds: [i], tokens: 10 }, maxTokens: null, timestampMs: i, delayMs: 0 },
      { prompt: { kind: "text", text: `t${i}`, tokens: 1 }, maxTokens: null, timestampMs: null, delayMs: 5 },
    ],
  })),
  systemPrompt: null,
  sampling: "sequential",
  blockSize: 512,
};
const blocks = localSessionTexts({ build: (ids, n) => `b${ids.join(",")}:${n}` });
const turn = () => new Promise<void>((r) => setImmediate(r));
/** Event-loop turns until `cond` holds (the feeder yields one turn per prompt), then `extra` more. */
async function settle(cond: () => boolean, extra = 50): Promise<void> {
  for (let i = 0; i < 100_000 && !cond(); i++) await turn();
  for (let i = 0; i < extra; i++) await turn();
}

describe("PromptFeeder", () => {
  test("each worker gets its own ordinals in order, every turn's text, and no more than the lookahead", async () => {
    const fed: { w: number; ordinal: number; texts: string[] }[] = [];
    const target = {
      feed: (w: number, items: { ordinal: number; texts: string[] }[]) => {
        for (const i of items) fed.push({ w, ...i });
      },
    };
    const f = new PromptFeeder(target, 2, dataset, blocks, { sessionLimit: 1000, order: null, offsetsNs: null, lanes: 8 }, 1);
    await f.primed;
    await settle(() => fed.length >= 256);
    // 128 ahead per worker, then it waits for the workers to use some.
    expect(fed.filter((x) => x.w === 0).length).toBe(128);
    expect(fed.filter((x) => x.w === 1).length).toBe(128);
    expect(
      fed
        .filter((x) => x.w === 0)
        .map((x) => x.ordinal)
        .slice(0, 3),
    ).toEqual([0, 2, 4]);
    expect(
      fed
        .filter((x) => x.w === 1)
        .map((x) => x.ordinal)
        .slice(0, 3),
    ).toEqual([1, 3, 5]);
    expect(fed.find((x) => x.ordinal === 6)!.texts).toEqual(["b1:10", "t1"]); // ordinal 6 -> session 6 % 5
    f.onConsumed(0, 10);
    await settle(() => fed.length >= 266);
    expect(fed.filter((x) => x.w === 0).length).toBe(138);
    expect(fed.filter((x) => x.w === 1).length).toBe(128);
    f.close();
    await f.done;
  });

  test("stops by itself at the session limit", async () => {
    const fed: number[] = [];
    const f = new PromptFeeder(
      {
        feed: (_w, items) => {
          for (const i of items) fed.push(i.ordinal);
        },
      },
      3,
      dataset,
      blocks,
      { sessionLimit: 7, order: null, offsetsNs: null, lanes: 8 },
      1,
    );
    await f.done;
    expect(fed.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  test("closed loop with fewer lanes than workers: prompts go only to the workers that run a lane", async () => {
    const fed: [number, number][] = [];
    const f = new PromptFeeder(
      {
        feed: (w, items) => {
          for (const i of items) fed.push([w, i.ordinal]);
        },
      },
      4,
      dataset,
      blocks,
      { sessionLimit: 5, order: null, offsetsNs: null, lanes: 2 },
      1,
    );
    await f.done;
    expect(fed.sort((a, b) => a[1] - b[1])).toEqual([
      [0, 0],
      [1, 1],
      [0, 2],
      [1, 3],
      [0, 4],
    ]);
    // Open loop: every worker dispatches.
    const timed: number[] = [];
    const g = new PromptFeeder(
      { feed: (w) => timed.push(w) },
      3,
      dataset,
      blocks,
      { sessionLimit: 5, order: null, offsetsNs: new Float64Array(5), lanes: 0 },
      1,
    );
    await g.done;
    expect(timed.sort()).toEqual([0, 0, 1, 1, 2]);
  });

  test("a prompt that cannot be built is reported once and ends the feeding (no hang on primed)", async () => {
    const bad: BlockPromptBuilder = {
      build: () => {
        throw new Error("no exact count");
      },
    };
    const errors: string[] = [];
    const f = new PromptFeeder({ feed: () => {} }, 2, dataset, localSessionTexts(bad), { sessionLimit: 10, order: null, offsetsNs: null, lanes: 8 }, 1, (e) =>
      errors.push(e.message),
    );
    await f.primed;
    await f.done;
    expect(errors).toEqual(["no exact count"]);
  });
});

describe("withFallback", () => {
  const session = { sessionId: "s", turns: [{ prompt: { kind: "blocks" as const, hashIds: [1], tokens: 3 }, maxTokens: null, timestampMs: 0, delayMs: 0 }] };
  /** A source that answers `name` or, once `failWith` is set, rejects with it; counts its calls. */
  function source(name: string) {
    const s = { calls: 0, failWith: null as Error | null, texts: async (): Promise<string[]> => [] };
    s.texts = async () => {
      s.calls++;
      if (s.failWith !== null) throw s.failWith;
      return [name];
    };
    return s as typeof s & SessionTexts;
  }

  test("the primary while it works; a failure while it is usable is passed on, and no backup is made", async () => {
    const primary = source("remote");
    let backups = 0;
    const t = withFallback(
      primary,
      () => true,
      () => (backups++, source("local")),
    );
    expect(await t.texts(session)).toEqual(["remote"]);
    primary.failWith = new Error("cannot build exactly 3 tokens");
    await expect(Promise.resolve(t.texts(session))).rejects.toThrow("cannot build exactly 3 tokens");
    expect([primary.calls, backups]).toEqual([2, 0]);
  });

  test("once the primary is unusable (its worker died), the backup builds that session and every later one", async () => {
    const primary = source("remote");
    let usable = true;
    let backups = 0;
    const backup = source("local");
    const t = withFallback(
      primary,
      () => usable,
      () => (backups++, backup),
    );
    expect(await t.texts(session)).toEqual(["remote"]);
    primary.failWith = new Error("count worker crashed: boom");
    usable = false;
    expect(await t.texts(session)).toEqual(["local"]);
    expect(await t.texts(session)).toEqual(["local"]);
    expect([primary.calls, backup.calls, backups]).toEqual([2, 2, 1]);
  });
});
