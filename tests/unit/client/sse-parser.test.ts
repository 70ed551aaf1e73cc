import { describe, expect, test } from "bun:test";
import { SseParser } from "../../../src/client/sse-parser.ts";
import type { SseEvent } from "../../../src/client/sse-parser.ts";
import { parsePieces } from "../../helpers/sse.ts";

const msg = (data: string, id: string | null = null, event = "message"): SseEvent => ({ event, data, id });

interface Case {
  name: string;
  input: string;
  want: SseEvent[];
}

const cases: Case[] = [
  { name: "LF line ends", input: "data: a\n\ndata: b\n\n", want: [msg("a"), msg("b")] },
  { name: "CRLF line ends", input: "data: a\r\n\r\ndata: b\r\n\r\n", want: [msg("a"), msg("b")] },
  { name: "CR line ends", input: "data: a\r\rdata: b\r\r", want: [msg("a"), msg("b")] },
  {
    name: "mixed line ends in one stream",
    input: "data: a\r\n\ndata: b\n\r\ndata: c\r\rdata: d\n\r",
    want: [msg("a"), msg("b"), msg("c"), msg("d")],
  },
  { name: "CR CR is two line ends, CR LF is one", input: "data: a\r\r\ndata: b\r\n\r\n", want: [msg("a"), msg("b")] },
  { name: "comment lines are ignored", input: ": hello\ndata: a\n: mid-event comment\n\n:\n\n", want: [msg("a")] },
  { name: "comment only stream yields nothing", input: ": ping\n\n: ping\n\n", want: [] },
  { name: "multi-line data joins with LF", input: "data: a\ndata: b\ndata: c\n\n", want: [msg("a\nb\nc")] },
  { name: "leading BOM is skipped", input: "\uFEFFdata: a\n\n", want: [msg("a")] },
  {
    name: "BOM after the start is part of the field name (unknown field)",
    input: "data: a\n\n\uFEFFdata: b\n\n",
    want: [msg("a")],
  },
  { name: "only one leading BOM is skipped", input: "\uFEFF\uFEFFdata: a\n\n", want: [] },
  { name: "field without colon: data with empty value", input: "data\n\n", want: [msg("")] },
  { name: "field without colon: event with empty value resets to message", input: "event\ndata: x\n\n", want: [msg("x")] },
  { name: "data: without space", input: "data:x\n\n", want: [msg("x")] },
  { name: "only one space after the colon is removed", input: "data:  x \n\n", want: [msg(" x ")] },
  { name: "tab after the colon is kept", input: "data:\tx\n\n", want: [msg("\tx")] },
  { name: "colon inside the value", input: 'data: {"a":"b:c"}\n\n', want: [msg('{"a":"b:c"}')] },
  { name: "empty data field dispatches an empty event", input: "data:\n\n", want: [msg("")] },
  { name: "two empty data fields give one LF", input: "data:\ndata:\n\n", want: [msg("\n")] },
  { name: "no data field: no event", input: "event: foo\n\nid: 7\n\nretry: 10\n\n", want: [] },
  { name: "blank lines alone: no event", input: "\n\n\r\n\r\r\n", want: [] },
  { name: "extra blank lines do not duplicate the event", input: "data: a\n\n\n\n\ndata: b\n\n", want: [msg("a"), msg("b")] },
  {
    name: "event field sets the type and resets after dispatch",
    input: "event: update\ndata: 1\n\ndata: 2\n\nevent:ping\ndata: 3\n\n",
    want: [msg("1", null, "update"), msg("2"), msg("3", null, "ping")],
  },
  { name: "last event field wins", input: "event: a\nevent: b\ndata: x\n\n", want: [msg("x", null, "b")] },
  {
    name: "event type of an event without data is dropped",
    input: "event: lost\n\ndata: x\n\n",
    want: [msg("x")],
  },
  {
    name: "id persists across events until changed",
    input: "id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n",
    want: [msg("a", "1"), msg("b", "1"), msg("c", "2")],
  },
  { name: "id from an event without data still applies", input: "id: 9\n\ndata: x\n\n", want: [msg("x", "9")] },
  { name: "empty id sets it to empty string", input: "id: 1\ndata: a\n\nid\ndata: b\n\n", want: [msg("a", "1"), msg("b", "")] },
  { name: "id containing NUL is ignored", input: "id: 1\n\nid: a\0b\ndata: x\n\n", want: [msg("x", "1")] },
  {
    name: "unknown fields and retry are ignored",
    input: "retry: 1000\nfoo: bar\nDATA: no\nData: no\ndata: yes\n\n",
    want: [msg("yes")],
  },
  { name: "field name 'data ' with a space is unknown", input: "data : x\ndata: y\n\n", want: [msg("y")] },
  { name: "datax: is not data", input: "datax: 1\ndata: 2\n\n", want: [msg("2")] },
  { name: "unterminated final event is returned by end()", input: "data: a\n\ndata: b", want: [msg("a"), msg("b")] },
  { name: "final event with one line end is returned by end()", input: "data: a\n", want: [msg("a")] },
  { name: "final event ending in CR is returned by end()", input: "data: a\r", want: [msg("a")] },
  { name: "unterminated event without data yields nothing", input: "event: x\nid: 3", want: [] },
  { name: "unterminated comment yields nothing", input: "data: a\n\n: bye", want: [msg("a")] },
  { name: "non-ASCII data", input: "data: café ☕ 日本 🚀\n\n", want: [msg("café ☕ 日本 🚀")] },
  {
    name: "OpenAI-style stream",
    input: 'data: {"choices":[{"delta":{"content":"Hi"}}]}\n\ndata: [DONE]\n\n',
    want: [msg('{"choices":[{"delta":{"content":"Hi"}}]}'), msg("[DONE]")],
  },
];

describe("SseParser rules", () => {
  for (const c of cases) {
    test(c.name, () => {
      expect(parsePieces([c.input])).toStrictEqual(c.want);
    });
  }
});

describe("SseParser split invariance on every rule case", () => {
  for (const c of cases) {
    test(c.name, () => {
      // One-character pieces.
      expect(parsePieces([...c.input])).toStrictEqual(c.want);
      // Every two-way split, and a split with an empty piece in between.
      for (let i = 0; i <= c.input.length; i++) {
        expect(parsePieces([c.input.slice(0, i), c.input.slice(i)])).toStrictEqual(c.want);
        expect(parsePieces([c.input.slice(0, i), "", c.input.slice(i)])).toStrictEqual(c.want);
      }
    });
  }
});

describe("SseParser incremental behaviour", () => {
  test("an event is returned by the feed that completes it, not earlier", () => {
    const p = new SseParser();
    expect(p.feed("data: a")).toEqual([]);
    expect(p.feed("\n")).toEqual([]);
    expect(p.feed("\n")).toEqual([msg("a")]);
    expect(p.end()).toEqual([]);
  });

  test("several events completed by one feed come back in order", () => {
    const p = new SseParser();
    expect(p.feed("data: 1\n\ndata: 2\n\ndata: 3")).toEqual([msg("1"), msg("2")]);
    expect(p.feed("\n\n")).toEqual([msg("3")]);
  });

  test("CR at the end of one feed and LF at the start of the next are one line end", () => {
    const p = new SseParser();
    expect(p.feed("data: a\r")).toEqual([]);
    // If the LF were a second line end, "a" would be dispatched here and "b" would be its own event.
    expect(p.feed("\ndata: b\r")).toEqual([]);
    expect(p.feed("\n\r")).toEqual([msg("a\nb")]);
    expect(p.feed("\n")).toEqual([]);
    expect(p.end()).toEqual([]);
  });

  test("CR at the end of one feed and CR at the start of the next are two line ends", () => {
    const p = new SseParser();
    expect(p.feed("data: a\r")).toEqual([]);
    expect(p.feed("\rdata: b\n\n")).toEqual([msg("a"), msg("b")]);
  });

  test("the pending CR is remembered across empty feeds", () => {
    const p = new SseParser();
    p.feed("data: a\r");
    p.feed("");
    expect(p.feed("\n\n")).toEqual([msg("a")]);
  });

  test("BOM split off as its own first piece is still skipped", () => {
    expect(parsePieces(["\uFEFF", "data: a\n\n"])).toEqual([msg("a")]);
    expect(parsePieces(["", "\uFEFF", "data: a\n\n"])).toEqual([msg("a")]);
  });

  test("end() with nothing buffered returns nothing and can be called twice", () => {
    const p = new SseParser();
    expect(p.end()).toEqual([]);
    p.feed("data: x");
    expect(p.end()).toEqual([msg("x")]);
    expect(p.end()).toEqual([]);
  });

  test("end() resets the parser for a new stream (id, BOM, pending CR)", () => {
    const p = new SseParser();
    expect(p.feed("id: 5\ndata: a\r")).toEqual([]);
    expect(p.end()).toEqual([msg("a", "5")]);
    // New stream: leading LF is a blank line (not the tail of the old CR), BOM skipped again, id cleared.
    expect(p.feed("\uFEFF\ndata: b\n\n")).toEqual([msg("b")]);
  });

  test("returned events are fresh objects", () => {
    const p = new SseParser();
    const [a] = p.feed("data: x\n\n");
    const [b] = p.feed("data: x\n\n");
    expect(a).toEqual(b!);
    expect(a).not.toBe(b!);
  });
});

/**
 * Counts the characters that String.prototype.indexOf scans and that Array.prototype.join produces while fn runs.
 * A parser that re-scans or re-joins its whole buffer on every feed makes these grow quadratically.
 */
function countWork(fn: () => void): { scanned: number; joined: number } {
  const origIndexOf = String.prototype.indexOf;
  const origJoin = Array.prototype.join;
  let scanned = 0;
  let joined = 0;
  String.prototype.indexOf = function (this: string, search: string, from?: number): number {
    const r = origIndexOf.call(this, search, from);
    const start = Math.max(0, Math.min(from ?? 0, this.length));
    scanned += (r === -1 ? this.length : r + search.length) - start;
    return r;
  };
  Array.prototype.join = function (this: unknown[], sep?: string): string {
    const r = origJoin.call(this, sep);
    joined += r.length;
    return r;
  };
  try {
    fn();
  } finally {
    String.prototype.indexOf = origIndexOf;
    Array.prototype.join = origJoin;
  }
  return { scanned, joined };
}

describe("SseParser does linear work", () => {
  test("a 1 MB data line fed in 10,000 pieces", () => {
    const payload = "x".repeat(1_000_000);
    const input = `data: ${payload}\n\n`;
    const pieces: string[] = [];
    const n = 10_000;
    const size = Math.floor(input.length / n);
    for (let i = 0; i < input.length; i += size) pieces.push(input.slice(i, i + size));
    expect(pieces.length).toBeGreaterThanOrEqual(n);

    let events: SseEvent[] = [];
    const work = countWork(() => {
      events = parsePieces(pieces);
    });
    expect(events.length).toBe(1);
    expect(events[0]!.data.length).toBe(payload.length);
    expect(events[0]!.data === payload).toBe(true);
    // The instrumentation saw the parser's scans at all.
    expect(work.scanned).toBeGreaterThanOrEqual(input.length);
    // Linear: each character is scanned a bounded number of times (here: once for "\n", once for "\r").
    expect(work.scanned).toBeLessThanOrEqual(3 * input.length);
    // The long line is assembled once, not re-joined on every piece.
    expect(work.joined).toBeLessThanOrEqual(2 * input.length);
  });

  test("10,000 short lines in one feed without any CR", () => {
    const input = 'data: {"choices":[{"delta":{"content":"tok"}}]}\n\n'.repeat(10_000);
    let events: SseEvent[] = [];
    const work = countWork(() => {
      events = parsePieces([input]);
    });
    expect(events.length).toBe(10_000);
    // A parser that looks for the next "\r" from every line start would scan the rest of the text each time.
    expect(work.scanned).toBeLessThanOrEqual(3 * input.length);
    expect(work.joined).toBe(0);
  });

  test("10,000 CRLF lines in one feed", () => {
    const input = "data: tok\r\n\r\n".repeat(10_000);
    let events: SseEvent[] = [];
    const work = countWork(() => {
      events = parsePieces([input]);
    });
    expect(events.length).toBe(10_000);
    expect(work.scanned).toBeLessThanOrEqual(3 * input.length);
  });
});

describe("feedTo and endTo", () => {
  // The sink gets the parser's one event object, refilled for each event: a sink that keeps the object
  // would see only the last event, so the runner keeps strings, never the object.
  test("three events in one feed and one at the end: one object, refilled in order", () => {
    const p = new SseParser();
    const seen: { ev: Readonly<SseEvent>; copy: SseEvent }[] = [];
    const sink = { onEvent: (ev: Readonly<SseEvent>) => seen.push({ ev, copy: { ...ev } }) };
    p.feedTo("id: 1\ndata: a\n\nevent: e\ndata: b\n\ndata: c\ndata: d\n\ndata: tail", sink);
    expect(seen.map((s) => s.copy)).toEqual([msg("a", "1"), msg("b", "1", "e"), msg("c\nd", "1")]);
    p.endTo(sink);
    expect(seen.map((s) => s.copy)).toEqual([msg("a", "1"), msg("b", "1", "e"), msg("c\nd", "1"), msg("tail", "1")]);
    expect(new Set(seen.map((s) => s.ev)).size).toBe(1);
    // feed() and end() hand out copies: each event its own object.
    const q = new SseParser();
    const events = [...q.feed("data: a\n\ndata: b\n\n"), ...q.end()];
    expect(events).toEqual([msg("a"), msg("b")]);
    expect(events[0]).not.toBe(events[1]);
  });
});
