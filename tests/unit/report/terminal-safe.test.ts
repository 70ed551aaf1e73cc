import { describe, expect, test } from "bun:test";
import { jsonTerminalSafe, terminalSafe } from "../../../src/report/terminal-safe.ts";

describe("terminalSafe", () => {
  const cases: [string, string, string][] = [
    ["plain text is unchanged", "p99 TTFT 12.5 ms, naïve 日本語 ✓", "p99 TTFT 12.5 ms, naïve 日本語 ✓"],
    ["ESC (CSI colour)", "\u001b[31mred\u001b[0m", "\\x1b[31mred\\x1b[0m"],
    ["OSC window title with BEL", "\u001b]0;owned\u0007", "\\x1b]0;owned\\x07"],
    ["NUL and backspace", "a\u0000b\u0008", "a\\x00b\\x08"],
    ["tab, newline, carriage return", "a\tb\nc\rd", "a\\tb\\nc\\rd"],
    ["DEL", "x\u007fy", "x\\x7fy"],
    ["C1: 8-bit CSI and NEL", "\u009b2J\u0085", "\\x9b2J\\x85"],
    ["C1 range ends", "\u0080\u009f", "\\x80\\x9f"],
    ["just past C1 (NBSP) is kept", "\u00a0", "\u00a0"],
    ["line and paragraph separators", "a\u2028b\u2029", "a\\u2028b\\u2029"],
    ["bidi override and isolate", "\u202eabc\u2066", "\\u202eabc\\u2066"],
    ["backslashes stay as they are", "C:\\temp\\x1b", "C:\\temp\\x1b"],
    ["empty", "", ""],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => expect(terminalSafe(input)).toBe(expected));
  }
  test("no character from U+0000 to U+00FF that could control a terminal survives", () => {
    const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join("");
    const out = terminalSafe(all);
    expect(out.length).toBeGreaterThan(all.length);
    expect(/[\u0000-\u001f\u007f-\u009f]/.test(out)).toBe(false);
  });
});

describe("jsonTerminalSafe", () => {
  const cases: [string, unknown][] = [
    ["C1 and DEL in a string", { e: "a\u009bb\u007f" }],
    ["ESC (already escaped by JSON.stringify)", { e: "\u001b[2J" }],
    ["bidi override in a key", { "\u202ek": 1 }],
    ["nested, pretty-printed", [{ a: ["\u0085", null, 1.5] }]],
  ];
  for (const [name, value] of cases) {
    test(name, () => {
      const text = jsonTerminalSafe(JSON.stringify(value, null, 2));
      expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/.test(text)).toBe(false);
      expect(JSON.parse(text)).toEqual(value);
    });
  }
});
