// Replays realistic server streams (tests/fixtures/sse/*.txt) through SseParser + interpretChunk:
// whatever the piece boundaries (seeded random, 1 character, between "\r" and "\n", across UTF-8
// sequences at the byte level) the events must be exactly those of feeding the stream whole.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SseParser } from "../../../src/client/sse-parser.ts";
import type { SseEvent } from "../../../src/client/sse-parser.ts";
import { interpretChunk } from "../../../src/client/openai-chunk.ts";
import type { Usage } from "../../../src/client/openai-chunk.ts";
import { mulberry32 } from "../../../src/dataset/seeded-rng.ts";
import { parsePieces } from "../../helpers/sse.ts";

const FIXTURES = join(import.meta.dir, "../../fixtures/sse");

/** The raw bytes as text, keeping a leading BOM so the parser's own BOM handling is exercised. */
function readFixture(name: string): { bytes: Uint8Array; text: string } {
  const bytes = new Uint8Array(readFileSync(join(FIXTURES, name)));
  return { bytes, text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes) };
}

/** Splits s into pieces of seeded-random lengths; small pieces are frequent, large ones possible. */
function randomSplit(s: string, seed: number): string[] {
  const rnd = mulberry32(seed);
  const maxPiece = [1, 3, 8, 40, 300][seed % 5]!;
  const pieces: string[] = [];
  let i = 0;
  while (i < s.length) {
    const n = 1 + Math.floor(rnd() * maxPiece);
    pieces.push(s.slice(i, i + n));
    // Sometimes an empty piece (a read that decoded to nothing, e.g. half a UTF-8 sequence).
    if (rnd() < 0.05) pieces.push("");
    i += n;
  }
  return pieces;
}

/** Same as randomSplit, over bytes. */
function randomByteSplit(b: Uint8Array, seed: number): Uint8Array[] {
  const rnd = mulberry32(seed ^ 0x5bd1e995);
  const maxPiece = [1, 2, 5, 17, 200][seed % 5]!;
  const pieces: Uint8Array[] = [];
  let i = 0;
  while (i < b.length) {
    const n = 1 + Math.floor(rnd() * maxPiece);
    pieces.push(b.subarray(i, i + n));
    i += n;
  }
  return pieces;
}

/** Pieces that end right after every "\r" (so each CRLF is split between its "\r" and "\n"). */
function splitAfterEveryCR(s: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) === 13) {
      pieces.push(s.slice(start, i + 1));
      start = i + 1;
    }
  }
  pieces.push(s.slice(start));
  return pieces;
}

interface Summary {
  kinds: string[];
  content: string;
  reasoning: string;
  finishReason: string | null;
  usage: Usage | null;
  error: { message: string; code: number | null; type: string | null } | null;
}

function summarize(events: SseEvent[], endpoint: "chat" | "completions"): Summary {
  const s: Summary = { kinds: [], content: "", reasoning: "", finishReason: null, usage: null, error: null };
  for (const ev of events) {
    const info = interpretChunk(ev.data, endpoint);
    s.kinds.push(info.kind);
    if (info.kind === "delta") {
      s.content += info.content;
      s.reasoning += info.reasoning;
      if (info.finishReason !== null) s.finishReason = info.finishReason;
      if (info.usage !== null) s.usage = info.usage;
    } else if (info.kind === "error") {
      s.error = { message: info.message, code: info.code, type: info.type };
    }
  }
  return s;
}

const d = (n: number): string[] => Array<string>(n).fill("delta");

interface Fixture {
  file: string;
  endpoint: "chat" | "completions";
  want: Summary;
  /** Events that only end() returns (stream closed without the final blank line). */
  eventsFromEnd: number;
  check?: (events: SseEvent[]) => void;
}

const fixtures: Fixture[] = [
  {
    file: "vllm-chat-usage.txt",
    endpoint: "chat",
    eventsFromEnd: 0,
    want: {
      kinds: [...d(11), "done"],
      content: "Hello, world! Café ☕ 日本語 🚀 done.",
      reasoning: "",
      finishReason: "stop",
      usage: { prompt_tokens: 17, completion_tokens: 12, total_tokens: 29, reasoning_tokens: null },
      error: null,
    },
  },
  {
    file: "sglang-reasoning.txt",
    endpoint: "chat",
    eventsFromEnd: 0,
    want: {
      kinds: [...d(9), "done"],
      content: "2 + 2 = **4**.",
      reasoning: "Okay, the user asks for 2+2.",
      finishReason: "stop",
      usage: { prompt_tokens: 9, completion_tokens: 18, total_tokens: 27, reasoning_tokens: 11 },
      error: null,
    },
  },
  {
    file: "crlf-completions.txt",
    endpoint: "completions",
    eventsFromEnd: 0,
    want: {
      kinds: [...d(8), "done"],
      content: "Once upon a time, there was",
      reasoning: "",
      finishReason: "length",
      usage: { prompt_tokens: 4, completion_tokens: 7, total_tokens: 11, reasoning_tokens: null },
      error: null,
    },
    check(events) {
      expect(events.map((e) => e.id)).toEqual(["0", "1", "2", "3", "4", "5", "5", "5", "5"]);
      expect(events.map((e) => e.event)).toEqual([...Array<string>(6).fill("token"), "message", "message", "message"]);
      expect(events.some((e) => e.data.includes("\r"))).toBe(false);
      expect(events[6]!.data.split("\n").length).toBe(2);
    },
  },
  {
    file: "vllm-error-midstream.txt",
    endpoint: "chat",
    eventsFromEnd: 0,
    want: {
      kinds: [...d(4), "error", "done"],
      content: "The answer is",
      reasoning: "",
      finishReason: null,
      usage: null,
      error: {
        message: "This model's maximum context length is 32768 tokens. However, you requested 33000 tokens.",
        code: 400,
        type: "BadRequestError",
      },
    },
  },
  {
    file: "mixed-endings-legacy-error.txt",
    endpoint: "chat",
    eventsFromEnd: 1,
    want: {
      kinds: [...d(3), "error"],
      content: "Hi there friend",
      reasoning: "",
      finishReason: null,
      usage: null,
      error: { message: "Engine loop has died", code: 500, type: "InternalServerError" },
    },
    check(events) {
      // The pretty-printed JSON arrived as several data lines, joined with "\n".
      expect(events[2]!.data.split("\n").length).toBeGreaterThan(5);
      expect(events[0]!.data.charCodeAt(0)).toBe(123); // "{": the BOM was skipped
    },
  },
];

test("every fixture file has an expectation", () => {
  const files = readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".txt"))
    .sort();
  expect(files).toEqual(fixtures.map((f) => f.file).sort());
});

describe("SSE fixture replay", () => {
  for (const fx of fixtures) {
    describe(fx.file, () => {
      const { bytes, text } = readFixture(fx.file);
      const whole = parsePieces([text]);

      test("whole stream gives the expected events", () => {
        expect(summarize(whole, fx.endpoint)).toEqual(fx.want);
        const p = new SseParser();
        const fed = p.feed(text);
        expect(fed.length).toBe(whole.length - fx.eventsFromEnd);
        expect(p.end().length).toBe(fx.eventsFromEnd);
        fx.check?.(whole);
      });

      test("one-character pieces", () => {
        expect(parsePieces([...text])).toStrictEqual(whole);
        // UTF-16 code units, splitting surrogate pairs too.
        expect(parsePieces(Array.from({ length: text.length }, (_, i) => text[i]!))).toStrictEqual(whole);
      });

      test("split between every \\r and the following character", () => {
        expect(parsePieces(splitAfterEveryCR(text))).toStrictEqual(whole);
      });

      test("every two-way split", () => {
        for (let i = 0; i <= text.length; i++) {
          expect(parsePieces([text.slice(0, i), text.slice(i)])).toStrictEqual(whole);
        }
      });

      test("300 seeded random splits", () => {
        for (let seed = 1; seed <= 300; seed++) {
          expect(parsePieces(randomSplit(text, seed))).toStrictEqual(whole);
        }
      });

      test("100 seeded random byte splits through a streaming TextDecoder", () => {
        for (let seed = 1; seed <= 100; seed++) {
          // Like the client: decode each read with { stream: true }; the default decoder strips the BOM itself.
          const decoder = new TextDecoder();
          const p = new SseParser();
          const got: SseEvent[] = [];
          for (const chunk of randomByteSplit(bytes, seed)) got.push(...p.feed(decoder.decode(chunk, { stream: true })));
          got.push(...p.feed(decoder.decode()));
          got.push(...p.end());
          expect(got).toStrictEqual(whole);
        }
      });
    });
  }
});
