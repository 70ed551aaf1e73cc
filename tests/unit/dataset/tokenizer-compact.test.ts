// Which byte-level BPE tokenizers the compact tables take, and that they count as the library does
// where the library's own rules are subtle: merge forms, ignore_merges with added tokens, lstrip /
// rstrip added tokens, and ids and text through the rebuilt library model.
import { describe, expect, test } from "bun:test";
import { Tokenizer } from "@huggingface/tokenizers";
import { tokenizerFromJson, tokenizerFromPack } from "../../../src/dataset/tokenizer.ts";
import { byteLevelJson } from "../../helpers/byte-level-bpe.ts";
import { fuzzTexts } from "../../helpers/fuzz-texts.ts";
import { packBody, packHeader } from "../../helpers/pack-parts.ts";

const kindOf = (packed: Uint8Array | null): string | undefined => (packed === null ? undefined : packHeader<{ kind: string }>(packed).kind);

/** The library's count, as the tokenizer is to give it. */
const libraryCount = (json: Record<string, unknown>, text: string): number => new Tokenizer(json, {}).tokenize(text, { add_special_tokens: false }).length;

const TOKENS = ["ab", "abc", " ab", "cd", " the", "he", "the", "th"];
const MERGES: [string, string][] = [
  ["a", "b"],
  ["ab", "c"],
  [" ", "ab"],
  ["c", "d"],
  ["h", "e"],
  ["t", "he"],
  [" ", "the"],
];
const TEXTS = ["abc abcd", " the ab", "abab cdcd the", "xyz", "", "ab<|x|>ab", " <|x|> ab ", "ab  <|x|>  cd", "<|x|><|x|>the"];

describe("which tokenizers are held compact", () => {
  test("a byte-level BPE is; the same with merges as [a, b] arrays is too", () => {
    expect(kindOf(tokenizerFromJson("t", byteLevelJson({ tokens: TOKENS, merges: MERGES })).pack())).toBe("compact");
    expect(kindOf(tokenizerFromJson("t", byteLevelJson({ tokens: TOKENS, merges: MERGES, mergesAsArrays: true })).pack())).toBe("compact");
  });

  test.each([
    [
      "a merge array of three entries (the library keys it whole: it never merges)",
      (j: { model: { merges: unknown[] } }) => j.model.merges.push(["t", "h", "x"]),
    ],
    ["a string merge after arrays (the library never merges it)", (j: { model: { merges: unknown[] } }) => j.model.merges.push("t h")],
    ["an id far past the vocab's size", (j: { model: { vocab: Record<string, number> } }) => (j.model.vocab.zz = 4_000_000_000)],
  ])("refused, counted by the library as it reads the file: %s", (_, damage) => {
    const json = byteLevelJson({ tokens: TOKENS, merges: MERGES, mergesAsArrays: true }) as never;
    (damage as (j: never) => void)(json);
    const tok = tokenizerFromJson("t", json);
    expect(kindOf(tok.pack())).not.toBe("compact");
    for (const t of TEXTS) expect([t, tok.count(t)]).toEqual([t, libraryCount(json, t)]);
  });
});

describe("counts as the library", () => {
  test("ignore_merges keeps a pre-token whole when it is an added token's content, as the library's model map holds them", () => {
    // "Ġab" is no vocab token, but as an added token the library's model keeps " ab" whole.
    const json = byteLevelJson({ tokens: ["ab"], merges: [["a", "b"]], ignoreMerges: true, added: [{ content: "\u0120ab", id: 300, special: false }] });
    const tok = tokenizerFromJson("t", json);
    expect(kindOf(tok.pack())).toBe("compact");
    expect(libraryCount(json, " ab")).toBe(1);
    expect(tok.count(" ab")).toBe(1);
    expect(tok.count("x ab")).toBe(libraryCount(json, "x ab"));
  });

  test.each([
    ["plain", {}],
    ["lstrip", { lstrip: true }],
    ["rstrip", { rstrip: true }],
    ["both", { lstrip: true, rstrip: true }],
  ])("texts holding an added token (%s): split as the library splits them, without its model", (_, strip) => {
    const json = byteLevelJson({ tokens: TOKENS, merges: MERGES, added: [{ content: "<|x|>", id: 400, ...strip }] });
    const tok = tokenizerFromJson("t", json);
    expect(kindOf(tok.pack())).toBe("compact");
    const texts = [...TEXTS, ...fuzzTexts(5, 300).map((t, i) => (i % 3 === 0 ? `${t} <|x|>  ${t}` : t))];
    expect(texts.length).toBe(309);
    for (const t of texts) expect([t, tok.count(t)]).toEqual([t, libraryCount(json, t)]);
  });

  test("ids and text through the model rebuilt from the tables, added tokens outside the vocab included", () => {
    const json = byteLevelJson({ tokens: TOKENS, merges: MERGES, added: [{ content: "<|x|>", id: 400 }] });
    const lib = new Tokenizer(json, {});
    const tok = tokenizerFromPack("t", tokenizerFromJson("t", json).pack()!);
    for (const t of TEXTS) {
      const ids = lib.encode(t, { add_special_tokens: false }).ids;
      expect(tok.encode(t)).toEqual(ids);
      if (ids.length > 0) expect(tok.decode(ids)).toBe(lib.decode(ids));
    }
    expect(tok.decode([400, 97])).toBe("<|x|>a");
  });
});

describe("damaged packs", () => {
  test("tables altered after packing (here a merge's result) fail the pack's hash: refused, not miscounted", () => {
    const damaged = Uint8Array.from(tokenizerFromJson("t", byteLevelJson({ tokens: TOKENS, merges: MERGES })).pack()!);
    const header = packHeader<{ vocabLength: number; mergeCount: number }>(damaged);
    const body = packBody(damaged);
    // mergeResult[0] (ab) -> the id of "cd".
    const u32 = new Uint32Array(body.buffer, body.byteOffset, header.vocabLength + 1 + 3 * header.mergeCount);
    u32[header.vocabLength + 1 + 2 * header.mergeCount] = 256 + 3;
    expect(() => tokenizerFromPack("t", damaged)).toThrow("damaged");
  });
});
