import { beforeAll, describe, expect, test } from "bun:test";
import { Tokenizer } from "@huggingface/tokenizers";
import { PROMPT_WORDS } from "../../../src/dataset/prompt-words.ts";
import { createPromptGenerator } from "../../../src/dataset/synthetic-prompts.ts";
import { type TextTokenizer, loadTokenizer, tokenizerFromJson } from "../../../src/dataset/tokenizer.ts";
import { specialToken } from "../../helpers/added-token.ts";

const SIZES = [1, 2, 3, 7, 100, 550, 4096, 40000];
const SEEDS = [0, 1, 42];

/**
 * A SentencePiece-style BPE tokenizer.json, trained here: "▁" for spaces (Prepend + Replace normalizer),
 * no pre-tokenizer, and merges learned over whole sentences, so tokens span word boundaries
 * ("e▁t", "s▁of", ...). Counts are then NOT additive over words: the generator's repair path is what
 * makes its prompts exact. With `wordStarts`, "▁" + letter merges come first (as in real SentencePiece
 * vocabularies, where "▁a" is a token); without, "▁" never starts a multi-character token, so every
 * non-empty text is at least 2 tokens (the normalizer's leading "▁" stays alone).
 */
function crossWordBpeFixture(merges: number, wordStarts = true): Record<string, unknown> {
  const corpus = `▁${Array.from({ length: 3 }, (_, k) => PROMPT_WORDS.filter((_, i) => i % (k + 2) === 0).join("▁")).join("▁")}`;
  const vocab: Record<string, number> = { "<unk>": 0, "<s>": 1, "</s>": 2 };
  const add = (t: string) => {
    vocab[t] ??= Object.keys(vocab).length;
  };
  for (let c = 32; c < 127; c++) if (c !== 32) add(String.fromCharCode(c));
  add("▁");
  add("\n");
  let seq = Array.from(corpus);
  const mergeList: string[] = [];
  const mergeAll = (a: string, b: string) => {
    const next: string[] = [];
    for (let i = 0; i < seq.length; i++) {
      if (i + 1 < seq.length && seq[i] === a && seq[i + 1] === b) {
        next.push(a + b);
        i++;
      } else next.push(seq[i]!);
    }
    seq = next;
  };
  if (wordStarts) {
    for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
      mergeList.push(`▁ ${c}`);
      add(`▁${c}`);
      mergeAll("▁", c);
    }
  }
  for (let m = 0; m < merges; m++) {
    const pairs = new Map<string, number>();
    let best = "";
    let bestN = 1;
    for (let i = 0; i + 1 < seq.length; i++) {
      const key = `${seq[i]} ${seq[i + 1]}`;
      const n = (pairs.get(key) ?? 0) + 1;
      pairs.set(key, n);
      if (n > bestN) [best, bestN] = [key, n];
    }
    if (best === "") break;
    const [a, b] = best.split(" ") as [string, string];
    mergeList.push(best);
    add(a + b);
    mergeAll(a, b);
  }
  const special = (content: string) => specialToken(vocab, content);
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: ["<unk>", "<s>", "</s>"].map(special),
    normalizer: {
      type: "Sequence",
      normalizers: [
        { type: "Prepend", prepend: "▁" },
        { type: "Replace", pattern: { String: " " }, content: "▁" },
      ],
    },
    pre_tokenizer: null,
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
      pair: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { Sequence: { id: "B", type_id: 1 } }],
      special_tokens: { "<s>": { id: "<s>", ids: [1], tokens: ["<s>"] } },
    },
    decoder: {
      type: "Sequence",
      decoders: [{ type: "Replace", pattern: { String: "▁" }, content: " " }, { type: "Fuse" }, { type: "Strip", content: " ", start: 1, stop: 0 }],
    },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: "<unk>",
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: mergeList,
    },
  };
}

let o200k: TextTokenizer;
let crossBpe: TextTokenizer;

beforeAll(async () => {
  o200k = await loadTokenizer("builtin");
  crossBpe = tokenizerFromJson("cross-word BPE", crossWordBpeFixture(400));
});

test("the vocabulary: lowercase ASCII words, no duplicates, enough of them", () => {
  expect(PROMPT_WORDS.length).toBeGreaterThanOrEqual(900);
  for (const w of PROMPT_WORDS) expect(w).toMatch(/^[a-z]+$/);
  expect(new Set(PROMPT_WORDS).size).toBe(PROMPT_WORDS.length);
});

test("the cross-word BPE fixture really merges across words (counts are not additive)", () => {
  let nonAdditive = 0;
  for (let i = 0; i + 1 < 200; i++) {
    const a = PROMPT_WORDS[i]!;
    const b = PROMPT_WORDS[i + 1]!;
    if (crossBpe.count(`${a} ${b}`) !== crossBpe.count(a) + crossBpe.count(` ${b}`) - 0) nonAdditive++;
  }
  expect(nonAdditive).toBeGreaterThan(20);
  expect(crossBpe.decode(crossBpe.encode("Hello there, general."))).toBe("Hello there, general.");
  // our count is the library's, without the <s> the template adds
  const lib = new Tokenizer(crossWordBpeFixture(400), {});
  for (const t of ["the of and", "Hello there, general.", " two  spaces ", "x".repeat(300), "<s> inside"]) {
    expect(crossBpe.count(t)).toBe(lib.encode(t, { add_special_tokens: false }).ids.length);
    expect(lib.encode(t).ids.length).toBe(crossBpe.count(t) + 1);
  }
});

describe.each([
  ["builtin o200k", () => o200k],
  ["cross-word BPE", () => crossBpe],
])("%s", (_, tokenizer) => {
  test.each(SEEDS)(`exact token counts for sizes ${SIZES.join(", ")} (seed %p)`, (seed) => {
    const tok = tokenizer();
    const gen = createPromptGenerator(tok, seed);
    for (const n of SIZES) {
      const p = gen.prompt(n);
      expect([n, tok.count(p)]).toEqual([n, n]);
    }
  });

  test("exact for every size from 0 to 300", () => {
    const tok = tokenizer();
    const gen = createPromptGenerator(tok, 7);
    for (let n = 0; n <= 300; n++) expect([n, tok.count(gen.prompt(n))]).toEqual([n, n]);
  });

  test("same seed, same prompts in the same order; different seeds differ", () => {
    const tok = tokenizer();
    const sizes = [5, 550, 1, 100, 2048, 550, 3, 550];
    const a = createPromptGenerator(tok, 123);
    const b = createPromptGenerator(tok, 123);
    const c = createPromptGenerator(tok, 124);
    const pa = sizes.map((n) => a.prompt(n));
    const pb = sizes.map((n) => b.prompt(n));
    const pc = sizes.map((n) => c.prompt(n));
    expect(pb).toEqual(pa);
    // (a 1-token prompt is one word, equal across seeds now and then: compare the longer ones)
    const long = sizes.flatMap((n, i) => (n >= 100 ? [i] : []));
    expect(long.length).toBe(5);
    for (const i of long) expect(pc[i]).not.toBe(pa[i]!);
    // successive prompts of one generator differ too
    expect(new Set(long.map((i) => pa[i])).size).toBe(long.length);
  });
});

describe("text (o200k)", () => {
  test("continuations start with a space-led capitalised word", () => {
    const gen = createPromptGenerator(o200k, 4);
    for (const n of [1, 2, 5, 64, 511, 512]) expect(gen.prompt(n, { continuation: true, seed: n })).toMatch(/^ [A-Z]/);
  });

  test("reads like sentences of varied words, not a repeated word", () => {
    const p = createPromptGenerator(o200k, 5).prompt(550);
    expect(p).toMatch(/^[A-Z][a-z]+ /);
    expect(p).toMatch(/[a-z]\. [A-Z][a-z]+/);
    const words = p.toLowerCase().match(/[a-z]+/g) ?? [];
    expect(words.length).toBeGreaterThan(300);
    expect(new Set(words).size / words.length).toBeGreaterThan(0.35);
    const vocab = new Set(PROMPT_WORDS);
    for (const w of words) expect(vocab.has(w)).toBe(true);
    expect(p).not.toMatch(/ {2}|\s$/);
  });

  test("different prompts share no prefix of 16 tokens (no artificial prefix-cache hits)", () => {
    const gen = createPromptGenerator(o200k, 9);
    const prefixes = new Set<string>();
    for (let i = 0; i < 500; i++) prefixes.add(o200k.encode(gen.prompt(550)).slice(0, 16).join(","));
    expect(prefixes.size).toBe(500);
  });
});

test("same seed, same prompts across separate loads of the same tokenizer", () => {
  const fresh = tokenizerFromJson("cross-word BPE again", crossWordBpeFixture(400));
  const a = createPromptGenerator(crossBpe, 77);
  const b = createPromptGenerator(fresh, 77);
  for (const n of [10, 300, 1000]) expect(b.prompt(n)).toBe(a.prompt(n));
});

test("an impossible count throws, saying so", () => {
  const noWordStarts = tokenizerFromJson("BPE without word-start tokens", crossWordBpeFixture(400, false));
  const gen = createPromptGenerator(noWordStarts, 1);
  expect(noWordStarts.count("a")).toBe(2);
  expect(() => gen.prompt(1)).toThrow(
    "could not build a prompt of exactly 1 tokens with tokenizer BPE without word-start tokens (the repair rounds ended at 2",
  );
  expect(noWordStarts.count(gen.prompt(2))).toBe(2);
  expect(noWordStarts.count(gen.prompt(500))).toBe(500);
});

test("prompt(0) is empty; invalid lengths throw", () => {
  const gen = createPromptGenerator(o200k, 1);
  expect(gen.prompt(0)).toBe("");
  for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => gen.prompt(bad)).toThrow(RangeError);
});

describe.each([
  ["builtin o200k", () => o200k],
  ["cross-word BPE", () => crossBpe],
])("per-call seed and continuation (%s)", (_, tokenizer) => {
  test("a seeded call depends only on (seed, tokens, continuation), not on earlier calls or the generator's seed", () => {
    const tok = tokenizer();
    const a = createPromptGenerator(tok, 1);
    const b = createPromptGenerator(tok, 2);
    b.prompt(300);
    b.prompt(7, { seed: 5 });
    for (const [n, seed, continuation] of [
      [512, 77, false],
      [512, 77, true],
      [1, 3, true],
      [100, 0, false],
    ] as const) {
      const pa = a.prompt(n, { seed, continuation });
      expect(b.prompt(n, { seed, continuation })).toBe(pa);
      expect(tok.count(pa)).toBe(n);
    }
    expect(a.prompt(512, { seed: 77 })).not.toBe(a.prompt(512, { seed: 78 }));
    expect(a.prompt(512, { seed: 77 })).not.toBe(a.prompt(512, { seed: 77, continuation: true }));
  });

  test("a seeded call leaves the generator's own stream where it was", () => {
    const tok = tokenizer();
    const plain = createPromptGenerator(tok, 9);
    const mixed = createPromptGenerator(tok, 9);
    const expected = [plain.prompt(120), plain.prompt(40)];
    const first = mixed.prompt(120);
    mixed.prompt(64, { seed: 1, continuation: true });
    expect([first, mixed.prompt(40)]).toEqual(expected);
  });

  test("seeded(): prompt()'s text, whether it came on the first try, and a trusted call skips the count and gives the same text", () => {
    const tok = tokenizer();
    const gen = createPromptGenerator(tok, 6);
    let firstTries = 0;
    const cases = [
      [512, 77, false],
      [512, 77, true],
      [1, 3, true],
      [100, 0, false],
      [333, 12, true],
    ] as const;
    for (const [n, seed, continuation] of cases) {
      const got = gen.seeded(n, seed, continuation, false);
      expect(got.text).toBe(gen.prompt(n, { seed, continuation }));
      expect(tok.count(got.text)).toBe(n);
      if (!got.firstTry) continue;
      firstTries++;
      let counted = 0;
      const spy: TextTokenizer = { ...tok, count: (t) => (counted++, tok.count(t)) };
      // a generator of its own, its word costs measured by the first call, so a trusted call counts nothing
      const trusting = createPromptGenerator(spy, 6);
      trusting.seeded(n, seed, continuation, false);
      counted = 0;
      expect(trusting.seeded(n, seed, continuation, true)).toEqual({ text: got.text, firstTry: true });
      expect(counted).toBe(0);
    }
    // o200k's costs add up: every call comes on the first try; the cross-word BPE needs repairs for most
    if (tok === o200k) expect(firstTries).toBe(cases.length);
    expect(gen.seeded(0, 5, true, false)).toEqual({ text: "", firstTry: true });
  });

  test("continuations count exactly", () => {
    const tok = tokenizer();
    const gen = createPromptGenerator(tok, 4);
    for (const n of [1, 2, 5, 64, 511, 512]) expect([n, tok.count(gen.prompt(n, { continuation: true, seed: n }))]).toEqual([n, n]);
  });
});

test("o200k: a start followed by continuations counts the sum of the parts", () => {
  const gen = createPromptGenerator(o200k, 3);
  for (let seed = 0; seed < 40; seed++) {
    const sizes = [1 + (seed % 7), 512, 3 + seed, 512];
    const parts = sizes.map((n, i) => gen.prompt(n, { seed: seed * 10 + i, continuation: i > 0 }));
    expect(o200k.count(parts.join(""))).toBe(sizes.reduce((a, b) => a + b, 0));
  }
});

test("o200k: no prompt ends in whitespace (a continuation may follow any of them)", () => {
  const gen = createPromptGenerator(o200k, 6);
  for (let n = 1; n <= 1500; n += 1) expect(gen.prompt(n, { seed: n })).not.toMatch(/\s$/);
});
