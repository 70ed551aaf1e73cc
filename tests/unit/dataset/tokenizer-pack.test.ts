// A tokenizer packed by one thread and rebuilt by another gives the same ids, counts and text as the
// one loaded from its files; a tokenizer the pack cannot hold exactly is not packed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PACK_FORMAT, PACKED_FOR_LIBRARY } from "../../../src/dataset/tokenizer-pack.ts";
import { MAX_CACHED_PACKS, packCachePath, writeCachedPack } from "../../../src/dataset/tokenizer-pack-cache.ts";
import { type TextTokenizer, loadTokenizer, tokenizerFromJson, tokenizerFromPack } from "../../../src/dataset/tokenizer.ts";
import { fuzzTexts } from "../../helpers/fuzz-texts.ts";
import { packHeader, sameBytes, withHeaderText } from "../../helpers/pack-parts.ts";

let builtin: TextTokenizer;
let tmp = "";
beforeAll(async () => {
  builtin = await loadTokenizer("builtin");
  tmp = mkdtempSync(join(tmpdir(), "llmbench-pack-"));
}, 60_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A small byte-free BPE: unk token, merges in the old "a b" form, one added special token. */
function smallBpe(model: Record<string, unknown> = {}): Record<string, unknown> {
  const vocab: Record<string, number> = { "<unk>": 0, a: 1, b: 2, c: 3, ab: 4, abc: 5, " ": 6 };
  return {
    version: "1.0",
    added_tokens: [{ id: 7, content: "<s>", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: null,
    pre_tokenizer: { type: "WhitespaceSplit" },
    post_processor: null,
    decoder: null,
    model: { type: "BPE", unk_token: "<unk>", fuse_unk: false, vocab, merges: ["a b", "ab c"], ...model },
  };
}

describe("pack and rebuild", () => {
  test("o200k: the rebuilt tokenizer encodes, counts and decodes as the loaded one, and packs to the same bytes", () => {
    const packed = builtin.pack();
    expect(packed).not.toBeNull();
    const rebuilt = tokenizerFromPack("rebuilt", packed!);
    const all = [...fuzzTexts(11, 300), "The quick brown fox. ".repeat(500), "x".repeat(20_000), ""];
    expect(all.length).toBe(303);
    for (const t of all) {
      const ids = builtin.encode(t);
      expect(rebuilt.encode(t)).toEqual(ids);
      expect(rebuilt.count(t)).toBe(builtin.count(t));
      expect(rebuilt.decode(ids)).toBe(builtin.decode(ids));
    }
    expect(sameBytes(rebuilt.pack(), packed)).toBe(true);
  });

  test("o200k from a pack in a SharedArrayBuffer (count workers view one): the same counts and the same pack", () => {
    const packed = builtin.pack()!;
    const shared = new Uint8Array(new SharedArrayBuffer(packed.length));
    shared.set(packed);
    const rebuilt = tokenizerFromPack("shared", shared);
    const texts = fuzzTexts(12, 200);
    expect(texts.length).toBe(200);
    for (const t of texts) expect([t, rebuilt.count(t)]).toEqual([t, builtin.count(t)]);
    expect(sameBytes(rebuilt.pack(), packed)).toBe(true);
  });

  test("a small BPE with an unknown token and an added special token", () => {
    const loaded = tokenizerFromJson("small", smallBpe());
    const rebuilt = tokenizerFromPack("small", loaded.pack()!);
    const cases = ["abc ab a", "cab zz", "<s> abc", "b a c", "abcabc"];
    for (const t of cases) {
      expect(rebuilt.encode(t)).toEqual(loaded.encode(t));
      expect(rebuilt.decode(rebuilt.encode(t))).toBe(loaded.decode(loaded.encode(t)));
    }
    expect(loaded.encode("abc ab")).toEqual([5, 4]);
    expect(rebuilt.encode("zz")).toEqual([0, 0]);
    expect(rebuilt.encode("<s>")).toEqual([7]);
  });

  test("a first token that starts with U+FEFF comes back with it (the pack's text is not read as having a byte-order mark)", () => {
    const loaded = tokenizerFromJson("bom", smallBpe({ vocab: { "\uFEFFz": 0, "<unk>": 1, a: 2, b: 3, c: 4, ab: 5, abc: 6, " ": 8 } }));
    const rebuilt = tokenizerFromPack("bom", loaded.pack()!);
    expect(loaded.decode([0])).toBe("\uFEFFz");
    expect(rebuilt.decode([0])).toBe("\uFEFFz");
    expect(rebuilt.encode("abc ab")).toEqual(loaded.encode("abc ab"));
  });

  test("a vocab with a lone surrogate (no UTF-8 form) is not packed, and still counts as loaded", () => {
    const tok = tokenizerFromJson("surrogate", smallBpe({ vocab: { "<unk>": 0, a: 1, b: 2, c: 3, ab: 4, abc: 5, " ": 6, "\ud800": 8 } }));
    expect(tok.pack()).toBeNull();
    expect(tok.encode("abc ab")).toEqual([5, 4]);
  });

  test("a tokenizer the pack cannot hold exactly is not packed: not BPE, two tokens on one id, a merge listed twice", () => {
    const wordPiece = tokenizerFromJson("wp", {
      ...smallBpe(),
      model: { type: "WordPiece", unk_token: "<unk>", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab: { "<unk>": 0, a: 1 } },
    });
    expect(wordPiece.pack()).toBeNull();
    const sharedId = tokenizerFromJson("shared", smallBpe({ vocab: { "<unk>": 0, a: 1, b: 2, c: 3, ab: 4, abc: 5, " ": 6, A: 1 } }));
    expect(sharedId.pack()).toBeNull();
    const twice = tokenizerFromJson("twice", smallBpe({ merges: ["a b", "ab c", "a b"] }));
    expect(twice.pack()).toBeNull();
    // The same tokenizer without the defect packs.
    expect(tokenizerFromJson("ok", smallBpe()).pack()).not.toBeNull();
  });

  test("bytes that are no pack, another format, or a cut pack throw", () => {
    const packed = tokenizerFromJson("small", smallBpe()).pack()!;
    expect(() => tokenizerFromPack("x", new TextEncoder().encode("not a pack"))).toThrow("not a packed tokenizer");
    expect(() => tokenizerFromPack("x", new TextEncoder().encode("not a pack\n{}"))).toThrow("not a packed tokenizer");
    expect(() =>
      tokenizerFromPack(
        "x",
        withHeaderText(packed, (h) => h.replace(`"format":${PACK_FORMAT}`, '"format":9')),
      ),
    ).toThrow("format 9");
    expect(() => tokenizerFromPack("x", packed.subarray(0, packed.lastIndexOf(0)))).toThrow("packed merges: 1, header says 2");
  });

  test("the pack's JSON head holds no copy of the vocabulary or merges", () => {
    const packed = builtin.pack()!;
    const head = packHeader<{
      json: { model: { vocab: object; merges: unknown[] } };
      vocabLength: number;
      mergeCount: number;
    }>(packed);
    expect(head.json.model.vocab).toEqual({});
    expect(head.json.model.merges).toEqual([]);
    expect(head.vocabLength).toBeGreaterThan(199_000);
    expect(head.mergeCount).toBeGreaterThan(199_000);
    expect(packed.indexOf(0x0a)).toBeLessThan(20_000);
    // The body starts 4-byte aligned, so its tables are viewed where they lie.
    expect((packed.indexOf(0x0a) + 1) % 4).toBe(0);
  });
});

describe("packs cached on disk", () => {
  test("the pack sets the installed library's BPE fields: upgrading @huggingface/tokenizers means checking them and bumping PACKED_FOR_LIBRARY", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dir, "../../../node_modules/@huggingface/tokenizers/package.json"), "utf8")) as { version: string };
    expect(pkg.version).toBe(PACKED_FOR_LIBRARY);
  });

  const packsIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".pack"));

  test("the first load writes a pack, the next rebuilds from it; changed files are read again", async () => {
    const json = join(tmp, "small.json");
    const cache = join(tmp, "cache-a");
    writeFileSync(json, JSON.stringify(smallBpe()));
    const first = await loadTokenizer(json, cache);
    expect(first.encode("abc")).toEqual([5]);
    expect(packsIn(cache).length).toBe(1);
    // The cached pack is what the next load uses: with "abc" renamed in its vocab, the merge still makes
    // "abc", which now has no id (unk, 0).
    const file = join(cache, packsIn(cache)[0]!);
    const renamed = Buffer.from(readFileSync(file).toString("latin1").replace("\u0000abc\u0000", "\u0000xyz\u0000"), "latin1");
    expect(renamed.equals(readFileSync(file))).toBe(false);
    writeFileSync(file, renamed);
    // The first load wrote that file, so its pack is read from it, not packed again.
    expect(sameBytes(first.pack(), readFileSync(file))).toBe(true);
    const second = await loadTokenizer(json, cache);
    expect(second.encode("abc")).toEqual([0]);
    // Its own pack is that file, as the count worker is to get it: it names the file, which holds it.
    expect(sameBytes(second.pack(), readFileSync(file))).toBe(true);
    expect(first.packFile()).toBe(file);
    expect(second.packFile()).toBe(file);
    expect(tokenizerFromPack("again", second.pack()!).encode("abc")).toEqual([0]);
    // A newer tokenizer.json has another pack: read from the file again.
    utimesSync(json, new Date(), new Date(Date.now() + 5_000));
    expect((await loadTokenizer(json, cache)).encode("abc")).toEqual([5]);
    expect(packsIn(cache).length).toBe(2);
  });

  test(`a cache keeps the ${MAX_CACHED_PACKS} packs used last: a load marks its pack used, a write drops the rest`, async () => {
    const cache = join(tmp, "cache-lru");
    mkdirSync(cache);
    // Old packs of other files, used one second apart, the first longest ago.
    const old = Array.from({ length: MAX_CACHED_PACKS }, (_, i) => join(cache, `old-${i}.pack`));
    old.forEach((p, i) => {
      writeFileSync(p, "stale");
      utimesSync(p, 1_000_000 + i, 1_000_000 + i);
    });
    // A load that finds its pack marks it used: the oldest one is kept below for that.
    const json = join(tmp, "small-lru.json");
    writeFileSync(json, JSON.stringify(smallBpe()));
    expect(writeCachedPack(packCachePath(cache, [json])!, (await loadTokenizer(json)).pack()!)).toBe(true);
    expect(packsIn(cache).length).toBe(MAX_CACHED_PACKS); // 8 old + this one, less the oldest: old-0
    expect(existsSync(old[0]!)).toBe(false);
    utimesSync(old[1]!, 1_000_000, 1_000_000);
    const reused = packCachePath(cache, [json])!;
    utimesSync(reused, 1_000_000, 1_000_000);
    expect((await loadTokenizer(json, cache)).encode("abc")).toEqual([5]);
    expect(statSync(reused).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    // Another tokenizer's pack: the least recently used (old-1) goes; the reused one stays.
    const other = join(tmp, "small-lru-2.json");
    writeFileSync(other, JSON.stringify(smallBpe({ merges: ["a b"] })));
    await loadTokenizer(other, cache);
    expect(packsIn(cache).length).toBe(MAX_CACHED_PACKS);
    expect(existsSync(old[1]!)).toBe(false);
    expect(existsSync(reused)).toBe(true);
    expect(existsSync(packCachePath(cache, [other])!)).toBe(true);
  });

  test("an unreadable cached pack: the files are read and the pack written again", async () => {
    const json = join(tmp, "small-b.json");
    const cache = join(tmp, "cache-b");
    writeFileSync(json, JSON.stringify(smallBpe()));
    await loadTokenizer(json, cache);
    const file = join(cache, packsIn(cache)[0]!);
    writeFileSync(file, "not a pack");
    expect((await loadTokenizer(json, cache)).encode("abc ab")).toEqual([5, 4]);
    expect(readFileSync(file, "utf8").startsWith(`{"format":${PACK_FORMAT}`)).toBe(true);
  });

  test("a cache directory that cannot be made: the tokenizer loads all the same, and names no pack file", async () => {
    const json = join(tmp, "small-c.json");
    const blocker = join(tmp, "not-a-dir");
    writeFileSync(json, JSON.stringify(smallBpe()));
    writeFileSync(blocker, "a file where the cache directory would go");
    const tok = await loadTokenizer(json, join(blocker, "tokenizers"));
    expect(tok.encode("abc")).toEqual([5]);
    expect(tok.packFile()).toBeNull();
    expect(tok.pack()).not.toBeNull();
    expect(readdirSync(tmp).filter((f) => f.endsWith(".tmp")).length).toBe(0);
  });

  test("release() lets the vocabulary go: the next use loads it again, and with its files gone it cannot", async () => {
    const json = join(tmp, "small-d.json");
    const cache = join(tmp, "cache-d");
    writeFileSync(json, JSON.stringify(smallBpe()));
    const tok = await loadTokenizer(json, cache);
    tok.release();
    expect(tok.encode("abc ab")).toEqual([5, 4]);
    expect(tok.count("abc ab")).toBe(2);
    tok.release();
    rmSync(json);
    rmSync(cache, { recursive: true });
    expect(() => tok.encode("abc")).toThrow("cannot read");
  });
});
