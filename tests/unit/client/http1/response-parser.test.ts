import { describe, expect, test } from "bun:test";
import { Http1ResponseParser, type Http1ParserLimits } from "../../../../src/client/http1-response-parser.ts";
import { mulberry32 } from "../../../../src/dataset/seeded-rng.ts";
import { FIXTURES, type ResponseFixture } from "./fixtures.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

// The parser with its events collected into an array.
type Http1Event =
  | { type: "head"; status: number; headers: Record<string, string> }
  | { type: "data"; bytes: Uint8Array }
  | { type: "end" }
  | { type: "error"; reason: string };

interface Http1ParseResult {
  events: Http1Event[];
  /** After eof (when requested): whether the response was complete. */
  complete: boolean;
  keepAlive: boolean;
  trailingBytes: number;
}

/** Feeds `pieces` in order (then eof() when `closeAtEnd`) and returns every event. */
function parseHttp1Response(pieces: Iterable<Uint8Array>, closeAtEnd = false, limits?: Http1ParserLimits): Http1ParseResult {
  const events: Http1Event[] = [];
  const parser = new Http1ResponseParser(
    {
      onHead: (status, headers) => events.push({ type: "head", status, headers }),
      onData: (bytes) => events.push({ type: "data", bytes }),
      onEnd: () => events.push({ type: "end" }),
      onError: (reason) => events.push({ type: "error", reason }),
    },
    limits,
  );
  for (const p of pieces) parser.feed(p);
  const complete = closeAtEnd ? parser.eof() : parser.done;
  return { events, complete, keepAlive: parser.keepAlive, trailingBytes: parser.trailingBytes };
}

/** Events with adjacent data merged into one body string: comparable however the input was split. */
interface Normalized {
  events: Array<
    { type: "head"; status: number; headers: Record<string, string> } | { type: "body"; text: string } | { type: "end" } | { type: "error"; reason: string }
  >;
  complete: boolean;
  keepAlive: boolean;
  trailingBytes: number;
}

function normalize(r: Http1ParseResult): Normalized {
  const events: Normalized["events"] = [];
  let body: Uint8Array[] = [];
  const flush = (): void => {
    if (body.length === 0) return;
    events.push({ type: "body", text: dec.decode(Buffer.concat(body)) });
    body = [];
  };
  for (const e of r.events) {
    if (e.type === "data") {
      if (e.bytes.length > 0) body.push(e.bytes);
      continue;
    }
    flush();
    events.push(e.type === "head" ? { type: "head", status: e.status, headers: { ...e.headers } } : e);
  }
  flush();
  return { events, complete: r.complete, keepAlive: r.keepAlive, trailingBytes: r.trailingBytes };
}

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    out.push(bytes.slice(prev, c)); // copies: each piece is its own buffer, like socket reads
    prev = c;
  }
  out.push(bytes.slice(prev));
  return out;
}

function run(f: ResponseFixture, pieces: Uint8Array[]): Normalized {
  return normalize(parseHttp1Response(pieces, f.close ?? false));
}

function bodyOf(events: Http1Event[]): string {
  return dec.decode(Buffer.concat(events.flatMap((e) => (e.type === "data" ? [e.bytes] : []))));
}

describe("Http1ResponseParser: fixtures, fed whole", () => {
  for (const f of FIXTURES) {
    test(f.name, () => {
      const r = parseHttp1Response([enc.encode(f.raw)], f.close ?? false);
      const heads = r.events.filter((e) => e.type === "head");
      const ends = r.events.filter((e) => e.type === "end");
      const errors = r.events.filter((e) => e.type === "error");
      if (f.expect.status !== undefined) {
        expect(heads).toHaveLength(1);
        expect(heads[0]!.type === "head" && heads[0]!.status).toBe(f.expect.status);
      } else {
        expect(heads).toHaveLength(0);
      }
      if (f.expect.headers) {
        const h = heads[0]!.type === "head" ? heads[0]!.headers : {};
        for (const [k, v] of Object.entries(f.expect.headers)) expect(h[k]).toBe(v);
      }
      expect(bodyOf(r.events)).toBe(f.expect.body ?? "");
      expect(ends).toHaveLength(f.expect.end ? 1 : 0);
      expect(r.complete).toBe(f.expect.end);
      if (f.expect.error) {
        expect(errors).toHaveLength(1);
        expect(errors[0]!.type === "error" && errors[0]!.reason).toMatch(f.expect.error);
        expect(r.events[r.events.length - 1]!.type).toBe("error"); // nothing after an error
      } else {
        expect(errors).toHaveLength(0);
      }
      expect(r.keepAlive).toBe(f.expect.keepAlive ?? f.expect.end);
      expect(r.trailingBytes).toBe(f.expect.trailingBytes ?? 0);
      // head comes first, end comes last
      expect(r.events.findIndex((e) => e.type === "head")).toBe(heads.length > 0 ? 0 : -1);
      expect(r.events.findIndex((e) => e.type === "end")).toBe(ends.length > 0 ? r.events.length - 1 : -1);
    });
  }
});

describe("Http1ResponseParser: split anywhere, same events", () => {
  for (const f of FIXTURES) {
    const bytes = enc.encode(f.raw);
    const whole = run(f, [bytes]);

    test(`${f.name}: one byte at a time`, () => {
      const pieces = Array.from({ length: bytes.length }, (_, i) => bytes.slice(i, i + 1));
      expect(run(f, pieces)).toEqual(whole);
    });

    test(`${f.name}: every two-piece split`, () => {
      for (let cut = 0; cut <= bytes.length; cut++) expect(run(f, splitAt(bytes, [cut]))).toEqual(whole);
    });

    test(`${f.name}: seeded random splits`, () => {
      const rand = mulberry32(0x5eed ^ bytes.length);
      for (let round = 0; round < 60; round++) {
        const nCuts = 1 + Math.floor(rand() * Math.min(12, bytes.length));
        const cuts = Array.from({ length: nCuts }, () => Math.floor(rand() * (bytes.length + 1)));
        expect(run(f, splitAt(bytes, cuts))).toEqual(whole);
      }
    });
  }
});

describe("Http1ResponseParser: behaviour", () => {
  test("body pieces are subarrays of the fed buffer (no copies)", () => {
    const buf = enc.encode("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n");
    const { events } = parseHttp1Response([buf]);
    const data = events.filter((e) => e.type === "data");
    expect(data).toHaveLength(2);
    for (const d of data) expect(d.type === "data" && d.bytes.buffer === buf.buffer).toBe(true);
  });

  test("header objects have no prototype: __proto__ is an ordinary header", () => {
    const { events } = parseHttp1Response([enc.encode("HTTP/1.1 200 OK\r\n__proto__: x\r\nContent-Length: 0\r\n\r\n")]);
    const head = events[0]!;
    if (head.type !== "head") throw new Error(`first event is ${head.type}, not head`);
    expect(Object.getOwnPropertyDescriptor(head.headers, "__proto__")?.value).toBe("x");
    expect(Object.getPrototypeOf(head.headers)).toBeNull();
  });

  test("headers larger than the limit are a protocol error, fed whole or byte by byte", () => {
    const raw = enc.encode(`HTTP/1.1 200 OK\r\nX-Big: ${"a".repeat(2000)}\r\n\r\n`);
    for (const pieces of [[raw], Array.from(raw, (b) => Uint8Array.of(b))]) {
      const { events } = parseHttp1Response(pieces, false, { maxHeaderBytes: 1024 });
      expect(events).toEqual([{ type: "error", reason: "headers too large" }]);
    }
    const ok = parseHttp1Response([raw], false, { maxHeaderBytes: 4096 });
    expect(ok.events[0]!.type).toBe("head");
  });

  test("many small header lines add up to the limit", () => {
    const lines = Array.from({ length: 200 }, (_, i) => `X-H${i}: ${"v".repeat(20)}\r\n`).join("");
    const { events } = parseHttp1Response([enc.encode(`HTTP/1.1 200 OK\r\n${lines}\r\n`)], false, { maxHeaderBytes: 2048 });
    expect(events).toEqual([{ type: "error", reason: "headers too large" }]);
  });

  test("an over-long chunk-size line is a protocol error", () => {
    const raw = `HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1;${"x".repeat(5000)}`;
    const { events } = parseHttp1Response([enc.encode(raw)], false, { maxHeaderBytes: 4096 });
    expect(events.map((e) => e.type)).toEqual(["head", "error"]);
  });

  test("nothing is emitted after an error, and eof() reports incomplete", () => {
    const events: string[] = [];
    const p = new Http1ResponseParser({
      onHead: () => events.push("head"),
      onData: () => events.push("data"),
      onEnd: () => events.push("end"),
      onError: (r) => events.push(`error:${r}`),
    });
    p.feed(enc.encode("BROKEN\r\n"));
    p.feed(enc.encode("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    expect(p.eof()).toBe(false);
    expect(events).toHaveLength(1);
    expect(events[0]).toStartWith("error:");
    expect(p.failed).toBe(true);
  });

  test("halt() inside a callback stops the parse at once", () => {
    const events: string[] = [];
    const p: Http1ResponseParser = new Http1ResponseParser({
      onHead: () => events.push("head"),
      onData: (b) => {
        events.push(`data:${dec.decode(b)}`);
        p.halt();
      },
      onEnd: () => events.push("end"),
      onError: () => events.push("error"),
    });
    p.feed(enc.encode("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\na\r\n1\r\nb\r\n0\r\n\r\n"));
    expect(events).toEqual(["head", "data:a"]);
    expect(p.eof()).toBe(false);
  });

  test("onEnd for a content-length body comes right after its last byte", () => {
    const events: string[] = [];
    const p = new Http1ResponseParser({
      onHead: (s) => events.push(`head:${s}`),
      onData: (b) => events.push(`data:${dec.decode(b)}`),
      onEnd: () => events.push("end"),
      onError: (r) => events.push(`error:${r}`),
    });
    p.feed(enc.encode("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab"));
    expect(events).toEqual(["head:200", "data:ab"]);
    expect(p.done).toBe(false);
    p.feed(enc.encode("cd"));
    expect(events).toEqual(["head:200", "data:ab", "data:cd", "end"]);
    expect(p.done).toBe(true);
    expect(p.keepAlive).toBe(true);
  });

  test("linear in the input: a 60 KB header line and a 200 KB body fed one byte at a time", () => {
    const value = "h".repeat(60_000);
    const body = "b".repeat(200_000);
    const raw = enc.encode(`HTTP/1.1 200 OK\r\nX-Big: ${value}\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    let bodyBytes = 0;
    let header = "";
    let ended = false;
    const p = new Http1ResponseParser(
      {
        onHead: (_s, h) => (header = h["x-big"] ?? ""),
        onData: (b) => (bodyBytes += b.length),
        onEnd: () => (ended = true),
        onError: (r) => {
          throw new Error(r);
        },
      },
      { maxHeaderBytes: 128 * 1024 },
    );
    const t0 = performance.now();
    for (let i = 0; i < raw.length; i++) p.feed(raw.subarray(i, i + 1));
    const ms = performance.now() - t0;
    expect(header).toBe(value);
    expect(bodyBytes).toBe(body.length);
    expect(ended).toBe(true);
    expect(ms).toBeLessThan(3000); // quadratic re-concatenation of the header line would take far longer
  });

  test("a chunked stream of many tiny chunks, fed in 7-byte pieces", () => {
    const parts = Array.from({ length: 5000 }, (_, i) => `data: ${i}\n\n`);
    const raw = enc.encode(
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n" + parts.map((x) => `${x.length.toString(16)}\r\n${x}\r\n`).join("") + "0\r\n\r\n",
    );
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < raw.length; i += 7) pieces.push(raw.slice(i, i + 7));
    const r = parseHttp1Response(pieces);
    expect(bodyOf(r.events)).toBe(parts.join(""));
    expect(r.complete).toBe(true);
    expect(r.keepAlive).toBe(true);
  });
});

describe("status lines and header values read off the bytes", () => {
  // The grammar the parser held before it read status lines byte by byte; each line must be judged alike.
  const STATUS_RE = /^HTTP\/1\.([01]) ([0-9]{3})(?:[ \t].*)?$/;
  const lines = [
    "HTTP/1.1 200 OK",
    "HTTP/1.1 200",
    "HTTP/1.0 404 Not Found",
    "HTTP/1.1 500\tbad\ttabs",
    "HTTP/1.1 200 reason with \x85 and é",
    "HTTP/1.1 200 a\rb",
    "HTTP/1.1 200x",
    "HTTP/1.2 200 OK",
    "HTTP/2 200 OK",
    "HTTP/1.1 20 OK",
    "HTTP/1.1 2000 OK",
    "HTTP/1.1  200 OK",
    "http/1.1 200 OK",
    "HTTP/1.1 2a0 OK",
    "ICY 200 OK",
    "HTTP/1.1 099 early",
  ];
  for (const line of lines) {
    test(JSON.stringify(line), () => {
      const bytes = Uint8Array.from(line, (c) => c.charCodeAt(0));
      const raw = Buffer.concat([bytes, enc.encode("\r\ncontent-length: 0\r\n\r\n")]);
      const r = parseHttp1Response([raw]);
      const m = STATUS_RE.exec(line);
      const status = m === null ? null : Number(m[2]);
      if (status === null) expect(r.events).toEqual([{ type: "error", reason: `malformed status line: ${JSON.stringify(line)}` }]);
      else if (status >= 200) expect(r.events[0]).toEqual({ type: "head", status, headers: { "content-length": "0" } });
      // An interim status waits for the final response.
      else expect(r.events).toEqual([]);
    });
  }

  test("header names are lower-cased, values trimmed of spaces and tabs only, latin1 bytes kept as code points", () => {
    const raw = Buffer.from(
      "HTTP/1.1 200 OK\r\nX-Mixed-Case: \t a b \t\r\nx-latin: caf\xe9\xff\r\nx-empty:\r\nx-colon: a:b:c\r\ncontent-length: 0\r\n\r\n",
      "latin1",
    );
    const r = parseHttp1Response([raw]);
    expect(r.events[0]).toEqual({
      type: "head",
      status: 200,
      headers: { "x-mixed-case": "a b", "x-latin": "caf\xe9\xff", "x-empty": "", "x-colon": "a:b:c", "content-length": "0" },
    });
  });

  for (const [cl, expected] of [
    ["5", 5],
    [" 5 ", 5],
    ["5, 5", 5],
    ["5,5", 5],
    ["5, 6", -1],
    ["5,", -1],
    ["", -1],
    ["-1", -1],
    ["1e3", -1],
    ["0x10", -1],
    ["1234567890123456", -1],
    ["123456789012345", 123456789012345],
  ] as const) {
    test(`content-length ${JSON.stringify(cl)}`, () => {
      const raw = Buffer.from(`HTTP/1.1 200 OK\r\ncontent-length: ${cl}\r\n\r\n`, "latin1");
      const r = parseHttp1Response([raw]);
      if (expected < 0) expect(r.events).toEqual([{ type: "error", reason: `invalid content-length: ${JSON.stringify(cl.trim())}` }]);
      else expect(r.events[0]).toMatchObject({ type: "head", status: 200 });
    });
  }
});
