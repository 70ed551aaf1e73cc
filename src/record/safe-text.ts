// Text a server sent (error bodies, error messages and types) made safe before it is stored or
// printed: the secrets this run sent are replaced, control characters cannot drive a terminal
// (clear the screen, retitle it, move the cursor back to forge a line), and it is one bounded line.
import type { RecordError } from "./request-record.ts";

export const REDACTED = "<redacted>";
/** Longest server text kept in a record; longer text is cut and ends with CUT_MARKER. */
export const SERVER_TEXT_MAX_CHARS = 300;
export const CUT_MARKER = "…[cut]";
const ERROR_TYPE_MAX_CHARS = 80;

// Line breaks (CR, LF, VT, FF, NEL, U+2028/9) and tabs become one space, so the text stays one line.
const BREAKS_RE = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
// Other C0 controls (ESC, BEL, ...), DEL, C1 (CSI, OSC, ...) and the bidi controls that reorder what
// a terminal shows (Trojan Source): shown escaped, \x1b or \u202e, never passed through.
const CONTROL_RE = /[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeControl(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * One printable line of at most `maxChars` characters (plus CUT_MARKER when cut): line breaks made
 * spaces (runs collapsed), control and bidi characters escaped, lone surrogates replaced.
 */
export function safeServerText(text: string, maxChars = SERVER_TEXT_MAX_CHARS): string {
  const line = text.toWellFormed().replace(BREAKS_RE, " ").replace(CONTROL_RE, escapeControl).replace(/ {2,}/g, " ").trim();
  if (line.length <= maxChars) return line;
  // Never split a surrogate pair.
  const end = /[\ud800-\udbff]/.test(line.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
  return `${line.slice(0, end).trimEnd()}${CUT_MARKER}`;
}

/** Replaces every occurrence of any known secret (API key, header token, URL password) by REDACTED. */
export class SecretScrubber {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string>) {
    this.secrets = [...new Set(secrets)].filter((s) => s.length > 0);
  }

  get size(): number {
    return this.secrets.length;
  }

  scrub(text: string): string {
    // Overlapping secrets (a token and the header value holding it) are merged into one span, so no
    // piece of either survives next to the marker.
    const spans: [number, number][] = [];
    for (const s of this.secrets) {
      for (let i = text.indexOf(s); i !== -1; i = text.indexOf(s, i + 1)) spans.push([i, i + s.length]);
    }
    if (spans.length === 0) return text;
    spans.sort((a, b) => a[0] - b[0]);
    let out = "";
    let at = 0;
    let open: [number, number] | null = null;
    for (const [start, end] of spans) {
      if (open !== null && start < open[1]) {
        open[1] = Math.max(open[1], end);
        continue;
      }
      if (open !== null) {
        out += REDACTED;
        at = open[1];
      }
      out += text.slice(at, start);
      open = [start, end];
    }
    return `${out}${REDACTED}${text.slice(open![1])}`;
  }
}

/** Secrets scrubbed first (over the whole text, so a cut cannot leave half a key), then made one safe line. */
export function cleanServerText(text: string, scrubber: SecretScrubber, maxChars = SERVER_TEXT_MAX_CHARS): string {
  return safeServerText(scrubber.size === 0 ? text : scrubber.scrub(text), maxChars);
}

/** A record's error as it may be stored and printed: type and message cleaned (both can come from the server). */
export function cleanRecordError(error: RecordError, scrubber: SecretScrubber): RecordError {
  return {
    code: error.code,
    type: cleanServerText(error.type, scrubber, ERROR_TYPE_MAX_CHARS),
    message: cleanServerText(error.message, scrubber),
  };
}
