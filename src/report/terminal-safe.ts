// Text from outside (server error messages, column values) shown on a terminal must not drive it:
// ESC sequences can recolour, move the cursor, retitle the window or hide lines. Every C0 control
// (tab and newline too: a cell is one line), DEL and C1 control is shown escaped, as are the Unicode
// line/paragraph separators and bidi overrides, which can make a line read differently from its bytes.
// Backslashes are left alone, so `\x1b` in the output may also be those four characters in the data.

const NAMED: Record<string, string> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

// C0, DEL, C1; U+2028/2029; bidi embeddings/overrides (U+202A-202E) and isolates (U+2066-2069).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same less C0, which JSON.stringify escapes itself (its own newlines are layout, not data).
const UNSAFE_BEYOND_C0 = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** `text` with every character that could control a terminal replaced by a visible escape. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/**
 * JSON text with the same characters as \uXXXX escapes: still the same JSON value. (JSON.stringify
 * already escapes C0 but leaves DEL, C1 and the rest as they are.)
 */
export function jsonTerminalSafe(json: string): string {
  return json.replace(UNSAFE_BEYOND_C0, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
