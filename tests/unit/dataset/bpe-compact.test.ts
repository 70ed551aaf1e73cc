// Compact byte-level BPE: merges in the library's order (lowest rank first, leftmost of equal ranks),
// ignore_merges, the tables' refusals, and their string form.
import { describe, expect, test } from "bun:test";
import { CompactBpe } from "../../../src/dataset/bpe-compact.ts";
import { aligned4, bpeLists, compactTables, tablesFromBytes, tablesToBytes } from "../../../src/dataset/bpe-compact-tables.ts";

/** An alphabet where byte b is the character b (Latin-1), so tokens read as their bytes. */
const LATIN1 = Array.from({ length: 256 }, (_, b) => String.fromCharCode(b));
const BYTES = [...LATIN1];

function tables(extra: string[], merges: [string, string][], ignoreMerges = false) {
  const t = compactTables({ vocab: [...BYTES, ...extra], merges }, LATIN1, ignoreMerges);
  if (t === null) throw new Error("refused");
  return t;
}

const bytesOf = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe("merge order", () => {
  const cases: [string, string, string[], [string, string][], number][] = [
    [
      "merges in rank order",
      "abc",
      ["ab", "abc"],
      [
        ["a", "b"],
        ["ab", "c"],
      ],
      1,
    ],
    [
      "the lower rank first, wherever it is",
      "abc",
      ["bc", "ab"],
      [
        ["b", "c"],
        ["a", "b"],
      ],
      2,
    ],
    ["equal pairs: the leftmost first", "aaa", ["aa"], [["a", "a"]], 2],
    [
      "equal pairs, then their merge",
      "aaa",
      ["aa", "aaa"],
      [
        ["a", "a"],
        ["aa", "a"],
      ],
      1,
    ],
    [
      "two merges, then the merge of both",
      "aaaa",
      ["aa", "aaaa"],
      [
        ["a", "a"],
        ["aa", "aa"],
      ],
      1,
    ],
    [
      "a merge that takes a symbol keeps its neighbours from theirs",
      "abab",
      ["ba", "ab"],
      [
        ["b", "a"],
        ["a", "b"],
      ],
      3,
    ],
    ["no merges: one token per byte", "hello", [], [], 5],
    ["one byte", "x", [], [], 1],
    ["nothing", "", [], [], 0],
  ];
  test.each(cases)("%s: %j", (_, text, extra, merges, expected) => {
    const bpe = new CompactBpe(tables(extra, merges).data);
    const b = bytesOf(text);
    expect(bpe.count(b, 0, b.length)).toBe(expected);
  });

  test("counts a slice of a buffer, not the whole", () => {
    const bpe = new CompactBpe(tables(["ab"], [["a", "b"]]).data);
    const b = bytesOf("xxabyy");
    expect(bpe.count(b, 2, 4)).toBe(1);
    expect(bpe.count(b, 1, 5)).toBe(3);
  });

  test("a piece 5,000 bytes long merges (scratch grows)", () => {
    const bpe = new CompactBpe(
      tables(
        ["aa", "aaaa"],
        [
          ["a", "a"],
          ["aa", "aa"],
        ],
      ).data,
    );
    const b = bytesOf("a".repeat(5_001));
    expect(bpe.count(b, 0, b.length)).toBe(1_250 + 1);
  });
});

describe("ignore_merges", () => {
  const extra = ["ab", "abc"];
  const merges: [string, string][] = [["a", "b"]];
  test("a piece that is a token is that token; without the option it is merged", () => {
    const b = bytesOf("abc");
    expect(new CompactBpe(tables(extra, merges, true).data).count(b, 0, 3)).toBe(1);
    expect(new CompactBpe(tables(extra, merges, false).data).count(b, 0, 3)).toBe(2);
  });
  test("keptWhole says so only with the option; countMerged never asks", () => {
    const b = bytesOf("abc");
    const kept = new CompactBpe(tables(extra, merges, true).data);
    expect(kept.keptWhole(b, 0, 3)).toBe(true);
    expect(kept.keptWhole(b, 0, 2)).toBe(true);
    expect(kept.keptWhole(bytesOf("bc"), 0, 2)).toBe(false);
    expect(kept.countMerged(b, 0, 3)).toBe(2);
    expect(new CompactBpe(tables(extra, merges, false).data).keptWhole(b, 0, 3)).toBe(false);
  });
});

describe("tables", () => {
  test.each([
    ["a token listed twice", [...BYTES, "ab", "ab"], [["a", "b"]]],
    [
      "a merge listed twice",
      [...BYTES, "ab"],
      [
        ["a", "b"],
        ["a", "b"],
      ],
    ],
    ["a merge whose result is no token", [...BYTES], [["a", "b"]]],
    ["a merge of a non-token", [...BYTES, "ab"], [["a", "q!"]]],
    ["a byte without a token", [...BYTES.slice(1), "ab"], [["a", "b"]]],
  ] as [string, string[], [string, string][]][])("refused: %s", (_, vocab, merges) => {
    expect(compactTables({ vocab, merges }, LATIN1, false)).toBeNull();
  });

  test("tokens outside the alphabet are kept aside; the lists come back as they went in", () => {
    const alphabet = LATIN1.map((c, b) => (b === 0x41 ? "\u0100" : c)); // byte 0x41 is written "Ā"
    const vocab = [...alphabet, "<|中|>", undefined, "ab"];
    const merges: [string, string][] = [["a", "b"]];
    const t = compactTables({ vocab, merges }, alphabet, false)!;
    expect(t).not.toBeNull();
    expect(t.foreign).toEqual({ 256: "<|中|>" });
    expect(bpeLists(t, alphabet)).toEqual({ vocab, merges });
    // A foreign token's range is empty: it never comes out of bytes.
    expect(t.data.offsets[257]! - t.data.offsets[256]!).toBe(0);
  });

  test("as bytes and back: the same arrays; cut, inconsistent or altered bytes throw", () => {
    const t = tables(
      ["ab", "abc"],
      [
        ["a", "b"],
        ["ab", "c"],
      ],
      true,
    );
    const { bytes, hash } = tablesToBytes(t.data);
    const back = tablesFromBytes(bytes, 258, 2, true, hash);
    expect([...back.offsets]).toEqual([...t.data.offsets]);
    expect([...back.bytes]).toEqual([...t.data.bytes]);
    expect([...back.mergeLeft, ...back.mergeRight, ...back.mergeResult]).toEqual([...t.data.mergeLeft, ...t.data.mergeRight, ...t.data.mergeResult]);
    expect(back.ignoreMerges).toBe(true);
    // Viewed in place, not copied.
    expect(back.offsets.buffer === bytes.buffer).toBe(true);
    expect(() => tablesFromBytes(bytes, 259, 2, true, hash)).toThrow(/^packed/);
    expect(() => tablesFromBytes(bytes.subarray(0, bytes.length - 1), 258, 2, true, hash)).toThrow("expected");
    // Any altered word or byte: a merge naming a token past the vocab, an offset, a token's byte.
    const words = 258 + 1 + 3 * 2;
    for (const [word, value] of [
      [259, 9_999],
      [3, 7],
    ] as const) {
      const copy = Uint8Array.from(bytes);
      new Uint32Array(copy.buffer, 0, words)[word] = value;
      expect(() => tablesFromBytes(copy, 258, 2, true, hash)).toThrow("damaged");
    }
    const copy = Uint8Array.from(bytes);
    copy[copy.length - 1] = copy.at(-1)! ^ 1;
    expect(() => tablesFromBytes(copy, 258, 2, true, hash)).toThrow("damaged");
  });
});

describe("aligned4", () => {
  const backing = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  test.each([
    [0, true],
    [4, true],
    [1, false],
    [2, false],
  ])("bytes at offset %i: the same memory %p, the same values, viewable as 32-bit words", (offset, same) => {
    const view = backing.subarray(offset, offset + 8);
    const out = aligned4(view);
    expect(out.buffer === backing.buffer).toBe(same);
    expect([...out]).toEqual([...view]);
    expect(new Uint32Array(out.buffer, out.byteOffset, 2).length).toBe(2);
  });
});
