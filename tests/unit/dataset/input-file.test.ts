import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type CustomDatasetType, InputFileError, type InputFileOptions, loadInputFile } from "../../../src/dataset/input-file.ts";
import type { PromptSource } from "../../../src/dataset/plan-types.ts";
import { type TextTokenizer, loadTokenizer } from "../../../src/dataset/tokenizer.ts";

const TRACE = resolve(import.meta.dir, "../../../../shared/data/mooncake/synthetic_trace.jsonl");

let tok: TextTokenizer;
let dir: string;

beforeAll(async () => {
  tok = await loadTokenizer("builtin");
  dir = mkdtempSync(join(tmpdir(), "llmbench-input-file-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let fileNo = 0;
/** Writes `lines` (objects are JSON-encoded, strings written as they are) to a fresh file. */
function file(lines: (string | object)[], name = `f${fileNo++}.jsonl`): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n"));
  return path;
}

function opts(o: Partial<InputFileOptions> = {}): InputFileOptions {
  return { tok, blockSize: 512, seed: 1, numEntries: 4, startOffsetMs: null, endOffsetMs: null, ...o };
}

const text = (t: string): PromptSource => ({ kind: "text", text: t, tokens: tok.count(t) });

describe("single_turn", () => {
  test("each line one session of one turn; text, texts (strings or objects), timestamp or delay", () => {
    const path = file([
      { text: "What is deep learning?", timestamp: 0 },
      "",
      { texts: ["Who are you?", "Hello world"], delay: 1234, role: "user", extra_key: [1, 2] },
      "   ",
      {
        texts: [
          { name: "a", contents: ["Hi", "there"] },
          { name: "b", contents: ["again"] },
        ],
        timestamp: 2000,
        type: "single_turn",
      },
      { text: "", texts: ["text is empty, so texts is used"] },
    ]);
    const r = loadInputFile(path, "single_turn", opts());
    expect(r.sampling).toBe("sequential");
    expect(r.skipped).toBe(0);
    expect(r.hasTimestamps).toBe(true);
    expect(r.sessions).toEqual([
      { sessionId: "session_000000", turns: [{ prompt: text("What is deep learning?"), maxTokens: null, timestampMs: 0, delayMs: 0 }] },
      { sessionId: "session_000001", turns: [{ prompt: text("Who are you?\nHello world"), maxTokens: null, timestampMs: null, delayMs: 1234 }] },
      { sessionId: "session_000002", turns: [{ prompt: text("Hi\nthere\nagain"), maxTokens: null, timestampMs: 2000, delayMs: 0 }] },
      { sessionId: "session_000003", turns: [{ prompt: text("text is empty, so texts is used"), maxTokens: null, timestampMs: null, delayMs: 0 }] },
    ]);
    expect(r.sessions[0]!.turns[0]!.prompt.tokens).toBe(5);
  });

  test("timestamp 0 with a delay is allowed (AIPerf checks both on truthiness); no timestamp first: hasTimestamps false", () => {
    const r = loadInputFile(
      file([
        { text: "a", delay: 5 },
        { text: "b", timestamp: 0, delay: 7 },
      ]),
      "single_turn",
      opts(),
    );
    expect(r.hasTimestamps).toBe(false);
    expect(r.sessions[1]!.turns[0]).toMatchObject({ timestampMs: 0, delayMs: 7 });
  });
});

describe("multi_turn", () => {
  test("lines grouped by session_id in first-seen order, turns concatenated; no session_id: a session of its own", () => {
    const path = file([
      {
        session_id: "s1",
        turns: [
          { text: "Hello", delay: 0 },
          { text: "Hi there", delay: 1000 },
        ],
      },
      { turns: [{ texts: ["solo"] }] },
      { session_id: "s2", turns: [{ text: "other", timestamp: 10 }] },
      { session_id: "s1", turns: [{ text: "third", delay: 250 }] },
      { session_id: "session_000001", turns: [{ text: "named like a generated id" }] },
    ]);
    const r = loadInputFile(path, "multi_turn", opts());
    expect(r.hasTimestamps).toBe(false);
    expect(r.sessions.map((s) => s.sessionId)).toEqual(["s1", "session_000001_1", "s2", "session_000001"]);
    expect(r.sessions[0]!.turns.map((t) => [t.prompt.kind === "text" && t.prompt.text, t.delayMs])).toEqual([
      ["Hello", 0],
      ["Hi there", 1000],
      ["third", 250],
    ]);
    expect(r.sessions[2]!.turns[0]).toEqual({ prompt: text("other"), maxTokens: null, timestampMs: 10, delayMs: 0 });
  });
});

describe("random_pool", () => {
  test("a file: numEntries sessions, each one seeded-random entry; sampled at random by the engine", () => {
    const entries = ["alpha one", "beta two", "gamma three"];
    const path = file(entries.map((t, i) => (i === 1 ? { texts: [t] } : { text: t })));
    const r = loadInputFile(path, "random_pool", opts({ numEntries: 20, seed: 3 }));
    expect(r.sampling).toBe("random");
    expect(r.hasTimestamps).toBe(false);
    expect(r.sessions).toHaveLength(20);
    for (const s of r.sessions) {
      expect(s.turns).toHaveLength(1);
      const p = s.turns[0]!.prompt;
      expect(p.kind === "text" && entries.includes(p.text)).toBe(true);
      expect(p.tokens).toBe(tok.count(p.kind === "text" ? p.text : ""));
    }
    expect(new Set(r.sessions.map((s) => (s.turns[0]!.prompt as { text: string }).text)).size).toBe(3);
    expect(loadInputFile(path, "random_pool", opts({ numEntries: 20, seed: 3 }))).toEqual(r);
    expect(loadInputFile(path, "random_pool", opts({ numEntries: 20, seed: 4 }))).not.toEqual(r);
  });

  test("a directory: one pool per file (by name), each session joins one entry of every pool with a blank line", () => {
    const pools = join(dir, "pools");
    mkdirSync(join(pools, "sub"), { recursive: true });
    file([{ texts: [{ name: "passage", contents: ["I am a cat."] }] }, { text: "I am a dog." }], "pools/b-passages.jsonl");
    file([{ texts: [{ name: "query", contents: ["Who are you?"] }] }, { text: "What is life?" }], "pools/a-queries.jsonl");
    file([{ text: "ignored: in a subdirectory" }], "pools/sub/c.jsonl");
    const r = loadInputFile(pools, "random_pool", opts({ numEntries: 12 }));
    expect(r.sessions).toHaveLength(12);
    const seen = new Set<string>();
    for (const s of r.sessions) {
      const p = s.turns[0]!.prompt;
      if (p.kind !== "text") throw new Error("text prompt expected");
      const [q, a, ...rest] = p.text.split("\n\n");
      expect(rest).toEqual([]);
      expect(["Who are you?", "What is life?"]).toContain(q!);
      expect(["I am a cat.", "I am a dog."]).toContain(a!);
      seen.add(p.text);
    }
    expect(seen.size).toBeGreaterThan(1);
  });
});

describe("mooncake_trace", () => {
  test("hash_ids become blocks; no hash_ids: fresh ids unique per line; text_input is text; session_id groups turns", () => {
    const path = file([
      { timestamp: 0, input_length: 1000, output_length: 40, hash_ids: [123, 456] },
      { timestamp: 5, input_length: 1100 },
      { timestamp: 6, input_length: 300, hash_ids: [] },
      { timestamp: 9, text_input: "Hello world", output_length: 4 },
      { session_id: "abc", input_length: 300, output_length: 40 },
      { session_id: "abc", delay: 2, input_length: 150, output_length: 20, hash_ids: [7] },
      { input_length: 0 },
    ]);
    const r = loadInputFile(path, "mooncake_trace", opts());
    expect(r.hasTimestamps).toBe(true);
    expect(r.sampling).toBe("sequential");
    expect(r.sessions.map((s) => s.sessionId)).toEqual(["session_000000", "session_000001", "session_000002", "session_000003", "abc", "session_000005"]);
    const turns = r.sessions.map((s) => s.turns);
    expect(turns[0]).toEqual([{ prompt: { kind: "blocks", hashIds: [123, 456], tokens: 1000 }, maxTokens: 40, timestampMs: 0, delayMs: 0 }]);
    expect(turns[1]![0]!.prompt).toEqual({ kind: "blocks", hashIds: [-1, -2, -3], tokens: 1100 });
    expect(turns[1]![0]!.maxTokens).toBeNull();
    expect(turns[2]![0]!.prompt).toEqual({ kind: "blocks", hashIds: [-4], tokens: 300 });
    expect(turns[3]).toEqual([{ prompt: text("Hello world"), maxTokens: 4, timestampMs: 9, delayMs: 0 }]);
    expect(turns[4]).toEqual([
      { prompt: { kind: "blocks", hashIds: [-5], tokens: 300 }, maxTokens: 40, timestampMs: null, delayMs: 0 },
      { prompt: { kind: "blocks", hashIds: [7], tokens: 150 }, maxTokens: 20, timestampMs: null, delayMs: 2 },
    ]);
    expect(turns[5]![0]!.prompt).toEqual({ kind: "blocks", hashIds: [], tokens: 0 });
  });

  test.each([
    [null, null, 0, [0, 100, 200, 300]],
    [100, null, 1, [100, 200, 300]],
    [null, 200, 1, [0, 100, 200]],
    [100, 200, 2, [100, 200]],
  ])("start offset %p, end offset %p: %p skipped", (startOffsetMs, endOffsetMs, skipped, kept) => {
    const path = file([0, 100, 200, 300].map((t) => ({ timestamp: t, input_length: 10 })).concat([{ input_length: 10 } as never]));
    const r = loadInputFile(path, "mooncake_trace", opts({ startOffsetMs, endOffsetMs }));
    expect(r.skipped).toBe(skipped);
    // (the entry without a timestamp is never skipped)
    expect(r.sessions.map((s) => s.turns[0]!.timestampMs)).toEqual([...kept, null]);
  });

  test.skipIf(!existsSync(TRACE))("loads the real Mooncake trace (3,993 entries)", () => {
    const lines = readFileSync(TRACE, "utf8").trim().split("\n");
    const r = loadInputFile(TRACE, "mooncake_trace", opts());
    expect(r.sessions).toHaveLength(3993);
    expect(r.hasTimestamps).toBe(true);
    expect(r.skipped).toBe(0);
    expect(r.sessions[0]!.turns).toEqual([
      { prompt: { kind: "blocks", hashIds: Array.from({ length: 79 }, (_, i) => i), tokens: 40160 }, maxTokens: 6, timestampMs: 0, delayMs: 0 },
    ]);
    const last = r.sessions[3992]!.turns[0]!;
    expect(last).toMatchObject({ maxTokens: 83, timestampMs: 1022025, delayMs: 0 });
    expect(last.prompt.tokens).toBe(18440);
    expect(last.prompt.kind === "blocks" && last.prompt.hashIds.at(-1)).toBe(43923);
    // every entry as the file has it
    let total = 0;
    r.sessions.forEach((s, i) => {
      const e = JSON.parse(lines[i]!) as { timestamp: number; input_length: number; output_length: number; hash_ids: number[] };
      const t = s.turns[0]!;
      expect([t.timestampMs, t.prompt.tokens, t.maxTokens]).toEqual([e.timestamp, e.input_length, e.output_length]);
      expect(t.prompt.kind === "blocks" ? t.prompt.hashIds : null).toEqual(e.hash_ids);
      total += t.prompt.tokens;
    });
    expect(total).toBe(61_194_628);
    // the offsets cut the trace
    const cut = loadInputFile(TRACE, "mooncake_trace", opts({ startOffsetMs: 1000, endOffsetMs: 60_000 }));
    expect(cut.sessions.length).toBe(200);
    expect(cut.skipped).toBe(3993 - 200);
    expect(cut.sessions.every((s) => s.turns[0]!.timestampMs! >= 1000 && s.turns[0]!.timestampMs! <= 60_000)).toBe(true);
  });
});

describe("errors: one line, path:line: what is wrong and what is allowed", () => {
  test.each<[string, CustomDatasetType, (string | object)[], number, string]>([
    ["bad JSON", "single_turn", [{ text: "ok" }, "", "{text: nope}"], 3, "not valid JSON ("],
    ["not an object", "single_turn", ["[1, 2]"], 1, "the line must be a JSON object, got a list"],
    [
      "no text",
      "single_turn",
      [{ delay: 3 }],
      1,
      `no text: give "text" (a non-empty string) or "texts" (a list of strings or of {"name", "contents"} objects)`,
    ],
    ["empty text", "single_turn", [{ text: "" }], 1, `no text: give "text"`],
    ["text and texts", "single_turn", [{ text: "a", texts: ["b"] }], 1, `"text" and "texts" cannot both be set; give one`],
    ["timestamp and delay", "single_turn", [{ text: "a", timestamp: 5, delay: 5 }], 1, `"timestamp" and "delay" cannot both be set; give one`],
    ["text not a string", "single_turn", [{ text: 5 }], 1, `"text" must be a string or null, got 5`],
    ["negative timestamp", "single_turn", [{ text: "a", timestamp: -1 }], 1, `"timestamp" must be a non-negative integer (milliseconds) or null, got -1`],
    ["fractional delay", "single_turn", [{ text: "a", delay: 1.5 }], 1, `"delay" must be a non-negative integer (milliseconds) or null, got 1.5`],
    ["string timestamp", "single_turn", [{ text: "a", timestamp: "10" }], 1, `"timestamp" must be a non-negative integer (milliseconds) or null, got "10"`],
    ["image", "single_turn", [{ text: "a", image: "/x.png" }], 1, `"image" is not supported by llmbench (text only); give "text" or "texts"`],
    ["audios", "random_pool", [{ text: "a" }, { text: "a", audios: ["x.wav"] }], 2, `"audios" is not supported by llmbench (text only)`],
    [
      "texts mixed",
      "single_turn",
      [{ texts: ["a", { contents: ["b"] }] }],
      1,
      `"texts" mixes strings and objects or holds other values; give a list of strings or a list of {"name": string, "contents": [strings]} objects`,
    ],
    ["texts contents", "single_turn", [{ texts: [{ name: "a", contents: "b" }] }], 1, `"texts" [0].contents must be a list of strings, got "b"`],
    ["texts not a list", "single_turn", [{ texts: "abc" }], 1, `"texts" must be a list, got "abc"`],
    [
      "wrong type",
      "single_turn",
      [{ type: "multi_turn", text: "a" }],
      1,
      `"type" is "multi_turn" but this file is read as single_turn; remove "type" or match --custom-dataset-type`,
    ],
    ["no turns", "multi_turn", [{ session_id: "s" }], 1, `"turns" must be a list of turn objects (each with "text" or "texts"), got nothing`],
    ["empty turns", "multi_turn", [{ turns: [] }], 1, `"turns" is empty; give at least one turn`],
    [
      "bad turn",
      "multi_turn",
      [{ turns: [{ text: "a" }, { text: "b", delay: -3 }] }],
      1,
      `"turns[1].delay" must be a non-negative integer (milliseconds) or null, got -3`,
    ],
    ["turn not an object", "multi_turn", [{ turns: ["hi"] }], 1, `turns[0] must be a JSON object, got "hi"`],
    ["session_id type", "multi_turn", [{ session_id: 5, turns: [{ text: "a" }] }], 1, `"session_id" must be a string or null, got 5`],
    [
      "mooncake no input",
      "mooncake_trace",
      [{ input_length: 5 }, { output_length: 5 }],
      2,
      `needs "input_length" (tokens, optionally with "hash_ids") or "text_input" (the prompt text)`,
    ],
    ["hash_ids without input_length", "mooncake_trace", [{ text_input: "a", hash_ids: [1] }], 1, `"hash_ids" needs "input_length" (the prompt's total tokens)`],
    ["negative hash id", "mooncake_trace", [{ input_length: 5, hash_ids: [1, -2] }], 1, `"hash_ids[1]" must be a non-negative integer, got -2`],
    ["hash_ids not a list", "mooncake_trace", [{ input_length: 5, hash_ids: 3 }], 1, `"hash_ids" must be a list of non-negative integers, got 3`],
    [
      "layout",
      "mooncake_trace",
      [{ input_length: 1500, hash_ids: [1, 2] }],
      1,
      "input_length 1500 with 2 hash_ids of 512 tokens: the last block would hold 988 tokens, more than 512 (input_length must be in 513..1024); fix the line or --isl-block-size",
    ],
    [
      "output_length",
      "mooncake_trace",
      [{ input_length: 5, output_length: "4" }],
      1,
      `"output_length" must be a non-negative integer (tokens) or null, got "4"`,
    ],
  ])("%s", (_, type, lines, lineNo, reason) => {
    const path = file(lines);
    let err: unknown;
    try {
      loadInputFile(path, type, opts());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputFileError);
    const msg = (err as Error).message;
    expect(msg.startsWith(`${path}:${lineNo}: ${reason}`)).toBe(true);
    expect(msg).not.toContain("\n");
  });

  test.each<[string, () => string, CustomDatasetType, string]>([
    ["missing file", () => join(dir, "nope.jsonl"), "single_turn", ": no such file or directory; --input-file must name a JSONL file"],
    ["empty file", () => file([]), "mooncake_trace", ": no entries (the file is empty or blank); give one JSON object a line"],
    ["blank file", () => file(["", "  ", ""]), "single_turn", ": no entries (the file is empty or blank); give one JSON object a line"],
    ["directory", () => dir, "multi_turn", ": is a directory; only --custom-dataset-type random_pool reads a directory (one pool per file)"],
    [
      "empty pool directory",
      () => {
        const d = join(dir, "empty-pools");
        mkdirSync(d, { recursive: true });
        return d;
      },
      "random_pool",
      ": the directory holds no files; random_pool needs one JSONL file per pool",
    ],
  ])("%s", (_, makePath, type, reason) => {
    const path = makePath();
    expect(() => loadInputFile(path, type, opts())).toThrow(new InputFileError(`${path}${reason}`));
  });

  test("an empty pool file inside a directory names that file", () => {
    const d = join(dir, "pools-with-empty");
    mkdirSync(d, { recursive: true });
    file([{ text: "a" }], "pools-with-empty/a.jsonl");
    const empty = file([""], "pools-with-empty/b.jsonl");
    expect(() => loadInputFile(d, "random_pool", opts())).toThrow(`${empty}: no entries`);
  });
});
