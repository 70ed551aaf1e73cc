// The elements of a top-level JSON array, one at a time, read from a file in fixed-size chunks: a
// 650 MB ShareGPT file is never held whole, only the element being read. The scan is over bytes:
// the structural characters ([ ] { } " \ ,) are ASCII and never occur inside a multi-byte UTF-8
// sequence, so an element's bytes are found without decoding, then decoded and parsed alone.
import { closeSync, openSync, readSync } from "node:fs";

const CHUNK_BYTES = 4 << 20;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_SQUARE = 0x5b;
const CLOSE_SQUARE = 0x5d;
const OPEN_CURLY = 0x7b;
const CLOSE_CURLY = 0x7d;
const COMMA = 0x2c;

type State = "start" | "between" | "in" | "after" | "end";

const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** A file that is not one JSON array; `offset` is the byte where reading stopped. */
export class JsonArrayError extends Error {
  override name = "JsonArrayError";
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Bytes of one element, grown as chunks arrive. */
class ByteBuffer {
  private buf = new Uint8Array(1 << 16);
  length = 0;
  push(src: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (this.length + n > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(src.subarray(from, to), this.length);
    this.length += n;
  }
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/**
 * Calls `each(value, index)` for every element of the top-level array in the file at `path`, in order,
 * each parsed on its own with JSON.parse. Throws JsonArrayError when the file is not an array or an
 * element is not valid JSON.
 */
export function forEachJsonArrayElement(path: string, each: (value: unknown, index: number) => void, chunkBytes = CHUNK_BYTES): void {
  const fd = openSync(path, "r");
  try {
    scan(fd, each, chunkBytes);
  } finally {
    closeSync(fd);
  }
}

function scan(fd: number, each: (value: unknown, index: number) => void, chunkBytes: number): void {
  const chunk = new Uint8Array(chunkBytes);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const element = new ByteBuffer();
  // start: before the "["; between: where an element may begin; in: inside one; after: after a
  // container element, before its "," or "]"; end: after the "]".
  let state: State = "start";
  let depth = 0;
  let inString = false;
  let escaped = false;
  let index = 0;
  let filePos = 0;

  const finish = (offset: number): void => {
    let value: unknown;
    try {
      value = JSON.parse(decoder.decode(element.view()));
    } catch (e) {
      throw new JsonArrayError(`element ${index + 1} is not valid JSON (${e instanceof Error ? e.message : String(e)})`, offset);
    }
    element.length = 0;
    each(value, index++);
    state = "between";
  };

  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    let i = 0;
    let from = -1; // where this chunk's part of the current element starts
    if (state === "in") from = 0;
    for (; i < n; i++) {
      const b = chunk[i]!;
      if (state === "in") {
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) inString = false;
          continue;
        }
        if (b === QUOTE) inString = true;
        else if (b === OPEN_CURLY || b === OPEN_SQUARE) depth++;
        else if (b === CLOSE_CURLY || b === CLOSE_SQUARE || b === COMMA) {
          // A scalar element ends at the "," or "]" after it; a container at its own closing bracket.
          if (depth === 0) {
            element.push(chunk, from, i);
            from = -1;
            finish(filePos + i);
            if (b === CLOSE_SQUARE) state = "end";
            continue;
          }
          if (b !== COMMA) {
            depth--;
            if (depth === 0) {
              element.push(chunk, from, i + 1);
              from = -1;
              finish(filePos + i);
              state = "after";
            }
          }
        }
        continue;
      }
      if (isSpace(b)) continue;
      if (state === "start") {
        if (b !== OPEN_SQUARE) throw new JsonArrayError("not a JSON array (the file must start with '[')", filePos + i);
        state = "between";
        continue;
      }
      if (state === "after") {
        if (b === COMMA) state = "between";
        else if (b === CLOSE_SQUARE) state = "end";
        else throw new JsonArrayError(`expected ',' or ']' after element ${index}`, filePos + i);
        continue;
      }
      if (state === "between") {
        if (b === CLOSE_SQUARE && index === 0) {
          state = "end";
          continue;
        }
        if (b === COMMA || b === CLOSE_SQUARE) throw new JsonArrayError(`unexpected '${String.fromCharCode(b)}' before element ${index + 1}`, filePos + i);
        state = "in";
        depth = 0;
        from = i;
        i--; // read this byte again as the element's first
        continue;
      }
      throw new JsonArrayError("data after the closing ']'", filePos + i);
    }
    if (state === "in" && from >= 0) element.push(chunk, from, n);
    filePos += n;
  }
  // `finish` (a closure) moves the state too, which the compiler's narrowing does not see.
  if ((state as State) !== "end")
    throw new JsonArrayError(state === "start" ? "empty file (expected a JSON array)" : "the array is not closed (file cut short?)", filePos);
}
