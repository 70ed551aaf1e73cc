import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isValidSequence, loadShareGpt, sharegptPairs, sharegptSession, ShareGptError } from "../../../src/dataset/sharegpt.ts";
import type { TextTokenizer } from "../../../src/dataset/tokenizer.ts";

/** One token per space-separated word, so lengths in the tests are plain to read. */
const words: TextTokenizer = {
  name: "words",
  count: (t) => t.split(" ").filter((w) => w.length > 0).length,
  encode: () => [],
  decode: () => "",
  pack: () => null,
  packFile: () => null,
  release: () => {},
};
const w = (n: number): string => Array.from({ length: n }, () => "w").join(" ");
const h = (value: string) => ({ from: "human", value });
const g = (value: string) => ({ from: "gpt", value });

describe("isValidSequence (AIPerf's is_valid_sequence: min 4, prompt <= 1024, total <= 2048)", () => {
  const cases: [number, number, boolean, boolean][] = [
    [4, 4, false, true],
    [3, 100, false, false],
    [1024, 1024, false, true],
    [1025, 4, false, false],
    [1024, 1025, false, false],
    [100, 3, false, false],
    [100, 3, true, true],
    [100, 0, true, true],
    [1000, 1049, true, false],
  ];
  test.each(cases)("prompt %d, output %d, skip min output %p -> %p", (p, o, skip, want) => {
    expect(isValidSequence(p, o, skip)).toBe(want);
  });
});

describe("sharegptPairs", () => {
  const cases: [string, unknown, [string, string][]][] = [
    ["not a list", "x", []],
    ["one message", [h("a")], []],
    ["human, gpt", [h("q1"), g("a1")], [["q1", "a1"]]],
    [
      "multi-turn",
      [h("q1"), g("a1"), h("q2"), g("a2")],
      [
        ["q1", "a1"],
        ["q2", "a2"],
      ],
    ],
    ["system and other roles are skipped", [{ from: "system", value: "s" }, h("q1"), g("a1")], [["q1", "a1"]]],
    ["gpt first, then a pair", [g("x"), h("q1"), g("a1")], [["q1", "a1"]]],
    ["two humans in a row: the second pairs", [h("q0"), h("q1"), g("a1")], [["q1", "a1"]]],
    ["a pair with an empty reply is dropped", [h("q1"), g(""), h("q2"), g("a2")], [["q2", "a2"]]],
    ["no roles: the first two values", [{ value: "p" }, { value: "c" }, { value: "x" }], [["p", "c"]]],
    ["no roles, empty value", [{ value: "p" }, { value: "" }], []],
  ];
  test.each(cases)("%s", (_, conv, want) => {
    expect(sharegptPairs(conv)).toEqual(want);
  });
});

describe("sharegptSession", () => {
  const opts = { tok: words, skipMinOutput: false };
  test("each pair is a turn; the reply's token count is its max tokens", () => {
    const s = sharegptSession({ conversations: [h(w(10)), g(w(20)), h(w(5)), g(w(7))] }, "s1", opts);
    expect(s).toEqual({
      sessionId: "s1",
      turns: [
        { prompt: { kind: "text", text: w(10), tokens: 10 }, maxTokens: 20, timestampMs: null, delayMs: 0 },
        { prompt: { kind: "text", text: w(5), tokens: 5 }, maxTokens: 7, timestampMs: null, delayMs: 0 },
      ],
    });
  });
  test("one pair outside the filter drops the whole conversation", () => {
    expect(sharegptSession({ conversations: [h(w(10)), g(w(20)), h(w(2)), g(w(7))] }, "s", opts)).toBeNull();
    expect(sharegptSession({ conversations: [h(w(10)), g(w(3))] }, "s", opts)).toBeNull();
    expect(sharegptSession({ conversations: [h(w(10)), g(w(3))] }, "s", { tok: words, skipMinOutput: true })?.turns[0]?.maxTokens).toBe(3);
    expect(sharegptSession({ conversations: [h(w(1025)), g(w(4))] }, "s", opts)).toBeNull();
    expect(sharegptSession({ conversations: [h(w(1000)), g(w(1049))] }, "s", opts)).toBeNull();
    expect(sharegptSession({ id: "x" }, "s", opts)).toBeNull();
    expect(sharegptSession("text", "s", opts)).toBeNull();
  });
});

describe("loadShareGpt", () => {
  const dir = mkdtempSync(join(tmpdir(), "llmbench-sharegpt-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  test("reads the array entry by entry, keeping what passes the filter", () => {
    const path = join(dir, "s.json");
    const entries = [
      { id: "a", conversations: [h(w(8)), g(w(9))] },
      { id: "b", conversations: [h(w(2)), g(w(9))] },
      { id: "c", conversations: [] },
      { id: "d", conversations: [h(w(6)), g(w(6)), h(w(4)), g(w(5))] },
    ];
    writeFileSync(path, JSON.stringify(entries, null, 2));
    const got = loadShareGpt(path, { tok: words, skipMinOutput: false });
    expect(got.entries).toBe(4);
    expect(got.skipped).toBe(2);
    expect(got.sessions.map((s) => [s.sessionId, s.turns.map((t) => [t.prompt.tokens, t.maxTokens])])).toEqual([
      ["sharegpt_000000", [[8, 9]]],
      [
        "sharegpt_000003",
        [
          [6, 6],
          [4, 5],
        ],
      ],
    ]);
  });
  test("with a count cache, a second load counts nothing and gives the same sessions; a changed file is counted again", () => {
    const path = join(dir, "c.json");
    const cacheDir = join(dir, "counts");
    let calls = 0;
    const counting: TextTokenizer = { ...words, count: (t) => (calls++, words.count(t)) };
    const entries = [{ conversations: [h(w(8)), g(w(9)), h(w(5)), g(w(6))] }, { conversations: [h(w(1)), g(w(9))] }, { conversations: [h(w(7)), g(w(4))] }];
    writeFileSync(path, JSON.stringify(entries));
    const first = loadShareGpt(path, { tok: counting, skipMinOutput: false, countCacheDir: cacheDir });
    expect(calls).toBe(7); // 4 + 1 (the short prompt ends that entry) + 2
    const again = loadShareGpt(path, { tok: counting, skipMinOutput: false, countCacheDir: cacheDir });
    expect(calls).toBe(7);
    expect(again).toEqual(first);
    expect(again.sessions.length).toBe(2);
    // Another filter setting is another key.
    loadShareGpt(path, { tok: counting, skipMinOutput: true, countCacheDir: cacheDir });
    expect(calls).toBe(14);
    writeFileSync(path, JSON.stringify([...entries, { conversations: [h(w(9)), g(w(9))] }]));
    const changed = loadShareGpt(path, { tok: counting, skipMinOutput: false, countCacheDir: cacheDir });
    expect(calls).toBe(23);
    expect(changed.sessions.length).toBe(3);
  });

  test("a file that is not a JSON array, or is missing: one line naming it", () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{"conversations": []}');
    expect(() => loadShareGpt(bad, { tok: words, skipMinOutput: false })).toThrow(ShareGptError);
    expect(() => loadShareGpt(bad, { tok: words, skipMinOutput: false })).toThrow(`${bad}: not a ShareGPT JSON array`);
    expect(() => loadShareGpt(join(dir, "none.json"), { tok: words, skipMinOutput: false })).toThrow("none.json: no such file");
  });
});
