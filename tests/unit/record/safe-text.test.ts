import { describe, expect, test } from "bun:test";
import {
  cleanRecordError,
  cleanServerText,
  CUT_MARKER,
  REDACTED,
  safeServerText,
  SecretScrubber,
  SERVER_TEXT_MAX_CHARS,
} from "../../../src/record/safe-text.ts";

describe("safeServerText", () => {
  const cases: [string, string, string][] = [
    ["plain text is kept", "HTTP 401: bad key", "HTTP 401: bad key"],
    ["clear screen and OSC title are escaped", "a\x1b[2J\x1b]0;pwned\x07b", "a\\x1b[2J\\x1b]0;pwned\\x07b"],
    ["CR cannot return to the line start", "ok\r  99 x forged", "ok 99 x forged"],
    ["LF, CRLF, tabs and runs of blanks become one space", "<html>\r\n  <body>\n\t<h1>501</h1>\n</html>\n", "<html> <body> <h1>501</h1> </html>"],
    ["VT, FF, NEL, U+2028, U+2029 are line breaks too", "a\vb\fc\u0085d\u2028e\u2029f", "a b c d e f"],
    ["NUL, BS, DEL escaped", "a\x00b\x08c\x7fd", "a\\x00b\\x08c\\x7fd"],
    ["C1 CSI and OSC escaped", "a\u009b2Jb\u009d0;t\u009c", "a\\x9b2Jb\\x9d0;t\\x9c"],
    ["bidi overrides and isolates escaped", "x\u202ey\u2066z\u2069\u202a\u202c", "x\\u202ey\\u2066z\\u2069\\u202a\\u202c"],
    ["bidi marks escaped", "\u200e\u200f\u061c", "\\u200e\\u200f\\u061c"],
    ["a lone surrogate is replaced", "a\ud800b", "a\ufffdb"],
    ["non-ASCII text is kept", "données — 模型 😀", "données — 模型 😀"],
    ["surrounding blanks trimmed", "  \n x \n ", "x"],
    ["empty stays empty", "", ""],
  ];
  for (const [name, input, want] of cases) test(name, () => expect(safeServerText(input)).toBe(want));

  test("long text is cut to the bound and marked", () => {
    const out = safeServerText("y".repeat(1000));
    expect(out).toBe(`${"y".repeat(SERVER_TEXT_MAX_CHARS)}${CUT_MARKER}`);
    expect(safeServerText("y".repeat(SERVER_TEXT_MAX_CHARS))).toBe("y".repeat(SERVER_TEXT_MAX_CHARS));
  });

  test("escapes count toward the bound, and a surrogate pair is never split", () => {
    expect(safeServerText("\x1b".repeat(100), 10)).toBe(`\\x1b\\x1b\\x${CUT_MARKER}`);
    expect(safeServerText(`${"a".repeat(9)}😀😀`, 10)).toBe(`${"a".repeat(9)}${CUT_MARKER}`);
  });
});

describe("SecretScrubber", () => {
  const s = new SecretScrubber(["Bearer sk-abc123", "sk-abc123", "", "pw-9"]);
  const cases: [string, string, string][] = [
    ["no secret: unchanged", "HTTP 500: boom", "HTTP 500: boom"],
    ["a key", "Incorrect API key provided: sk-abc123.", `Incorrect API key provided: ${REDACTED}.`],
    ["every occurrence", "sk-abc123/sk-abc123", `${REDACTED}/${REDACTED}`],
    ["a header value and the token inside it: one marker, nothing left over", "got Bearer sk-abc123!", `got ${REDACTED}!`],
    ["overlapping secrets merged", "sk-abc123pw-9", `${REDACTED}${REDACTED}`],
    ["at the start and end", "pw-9 x pw-9", `${REDACTED} x ${REDACTED}`],
  ];
  for (const [name, input, want] of cases) test(name, () => expect(s.scrub(input)).toBe(want));

  test("secrets that overlap in the text leave no piece of either", () => {
    const o = new SecretScrubber(["abcd", "cdef"]);
    expect(o.scrub("xabcdefx")).toBe(`x${REDACTED}x`);
  });

  test("empty secrets are dropped", () => {
    expect(new SecretScrubber(["", ""]).size).toBe(0);
    expect(new SecretScrubber([""]).scrub("abc")).toBe("abc");
  });
});

describe("cleanServerText / cleanRecordError", () => {
  const scrubber = new SecretScrubber(["sk-abc123"]);

  test("a secret past the cut is scrubbed before the cut, so no prefix of it survives", () => {
    const text = `${"x".repeat(SERVER_TEXT_MAX_CHARS - 4)}sk-abc123`;
    const out = cleanServerText(text, scrubber);
    expect(out).not.toContain("sk-");
    expect(out.endsWith(CUT_MARKER)).toBe(true);
  });

  test("a secret with control characters around it is found before they are escaped", () => {
    expect(cleanServerText("\x1b[2Jsk-abc123\r\n", scrubber)).toBe(`\\x1b[2J${REDACTED}`);
  });

  test("type and message are both cleaned; the code is kept", () => {
    const e = cleanRecordError({ code: 401, type: "\x1b[31mevil\r\nsk-abc123", message: "key sk-abc123\nline 2" }, scrubber);
    expect(e).toEqual({ code: 401, type: `\\x1b[31mevil ${REDACTED}`, message: `key ${REDACTED} line 2` });
  });
});
