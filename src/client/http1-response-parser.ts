// Incremental HTTP/1.1 response parser over raw bytes, pure (no I/O). Bytes may be split anywhere.
// Emits, through a sink: head(status, headers) once, data(body piece) zero or more times, then end;
// or error(reason) for a protocol violation. Body pieces are subarrays of the fed buffers (no copies),
// so a piece is only valid as long as the caller keeps the fed buffer unchanged.
//
// Framing (RFC 9112 §6.3): 1xx interim responses are skipped (101 is an error: we never ask to
// upgrade); 204 and 304 have no body; Transfer-Encoding whose last coding is chunked → chunked
// (hex size, optional ;extensions, CRLF, data, CRLF, ..., 0-chunk, trailers, CRLF); other
// Transfer-Encoding → until close; Content-Length (repeats must agree) → exactly that many bytes;
// neither → until the connection closes (call eof()). Responses to HEAD are not supported.
// Bare LF is accepted wherever CRLF is expected. Work is linear in the input however it is split:
// a partial line is kept in a growable buffer that doubles, never re-concatenated per piece.

export interface Http1ParserSink {
  /** Final (non-1xx) status line and headers. Names lower-case; repeated headers joined with ", ". */
  onHead(status: number, headers: Record<string, string>): void;
  /** A piece of the de-chunked body: a subarray of the buffer passed to feed(). */
  onData(bytes: Uint8Array): void;
  /** The body is complete. */
  onEnd(): void;
  /** A protocol violation; nothing more is emitted. */
  onError(reason: string): void;
}

export interface Http1ParserLimits {
  /** Maximum bytes of status line + headers (and, separately, of trailers). Default 64 KiB. */
  maxHeaderBytes?: number;
}

const DEFAULT_MAX_HEADER_BYTES = 64 * 1024;

// Parser states.
const S_STATUS = 0; // expecting the status line (empty lines before it are skipped)
const S_HEADER = 1; // header lines until an empty line
const S_BODY_LENGTH = 2; // `remaining` bytes of a Content-Length body
const S_BODY_CLOSE = 3; // everything until eof()
const S_CHUNK_SIZE = 4; // chunk-size line
const S_CHUNK_DATA = 5; // `remaining` bytes of chunk data
const S_CHUNK_CRLF = 6; // the CRLF after chunk data
const S_TRAILER = 7; // trailer lines until an empty line
const S_DONE = 8; // response complete
const S_ERROR = 9; // protocol error reported
const S_HALTED = 10; // halt() called: ignore everything

const CR = 13;
const LF = 10;
const SP = 32;
const HTAB = 9;
const COLON = 58;
const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** "HTTP/1." */
const HTTP_1 = [72, 84, 84, 80, 47, 49, 46];
const NO_LINE = new Uint8Array(0);

export class Http1ResponseParser {
  private state = S_STATUS;
  private readonly maxHeaderBytes: number;
  /** Pending partial line (bytes of a line whose LF has not arrived yet). */
  private line = NO_LINE;
  private lineLen = 0;
  /** Bytes of the current head (or trailer section) so far, for the size limit. */
  private headBytes = 0;
  private status = 0;
  private minorVersion = 1;
  private headers: Record<string, string> = Object.create(null) as Record<string, string>;
  private lastHeader: string | null = null;
  private remaining = 0;
  private sawCr = false;
  private keepAliveFlag = true;
  /** Bytes fed in total (any state). */
  bytesSeen = 0;
  /** Bytes received after the response was complete (a reused connection must have none). */
  trailingBytes = 0;

  constructor(
    private readonly sink: Http1ParserSink,
    limits: Http1ParserLimits = {},
  ) {
    this.maxHeaderBytes = limits.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  }

  /** True once the response is complete (onEnd emitted). */
  get done(): boolean {
    return this.state === S_DONE;
  }

  /** True after an error was reported. */
  get failed(): boolean {
    return this.state === S_ERROR;
  }

  /**
   * Whether the connection may carry another request: the response completed with self-delimited
   * framing, the server did not ask to close (HTTP/1.0 must ask to keep alive), and nothing
   * followed the response.
   */
  get keepAlive(): boolean {
    return this.state === S_DONE && this.keepAliveFlag && this.trailingBytes === 0;
  }

  /** Stops parsing for good: later feed() and eof() calls do nothing. Safe inside sink callbacks. */
  halt(): void {
    this.state = S_HALTED;
  }

  /**
   * The connection closed. Completes a close-delimited body (emits onEnd) and returns true when the
   * response is complete; returns false when it is incomplete (nothing is emitted: the caller
   * decides how to report a premature close) or failed/halted.
   */
  eof(): boolean {
    if (this.state === S_DONE) return true;
    if (this.state === S_BODY_CLOSE) {
      this.state = S_DONE;
      this.sink.onEnd();
      return true;
    }
    return false;
  }

  feed(buf: Uint8Array): void {
    const n = buf.length;
    this.bytesSeen += n;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case S_BODY_LENGTH:
        case S_CHUNK_DATA: {
          const take = Math.min(this.remaining, n - i);
          const piece = buf.subarray(i, i + take);
          i += take;
          this.remaining -= take;
          let finished = false;
          if (this.remaining === 0) {
            if (this.state === S_BODY_LENGTH) {
              this.state = S_DONE;
              finished = true;
            } else {
              this.state = S_CHUNK_CRLF;
            }
          }
          this.sink.onData(piece);
          if (finished && this.state === S_DONE) this.sink.onEnd();
          break;
        }
        case S_BODY_CLOSE:
          this.sink.onData(i === 0 ? buf : buf.subarray(i));
          return;
        case S_DONE:
          this.trailingBytes += n - i;
          return;
        case S_ERROR:
        case S_HALTED:
          return;
        case S_CHUNK_CRLF: {
          // Exactly CRLF (or a bare LF) must follow chunk data.
          const c = buf[i]!;
          if (c === CR && !this.sawCr) {
            this.sawCr = true;
            i++;
          } else if (c === LF) {
            this.sawCr = false;
            this.state = S_CHUNK_SIZE;
            i++;
          } else {
            this.fail("missing CRLF after chunk data");
            return;
          }
          break;
        }
        default: {
          // Line-oriented states: status, headers, chunk size, trailers.
          const nl = buf.indexOf(LF, i);
          if (nl < 0) {
            this.appendLine(buf, i, n);
            return;
          }
          const raw = this.lineLen + (nl - i) + 1; // wire length, LF included
          let lineBuf: Uint8Array;
          let start: number;
          let end: number;
          if (this.lineLen === 0) {
            lineBuf = buf;
            start = i;
            end = nl;
          } else {
            if (!this.appendLine(buf, i, nl)) return;
            lineBuf = this.line;
            start = 0;
            end = this.lineLen;
            this.lineLen = 0;
          }
          i = nl + 1;
          if (end > start && lineBuf[end - 1] === CR) end--;
          this.onLine(lineBuf, start, end, raw);
        }
      }
    }
  }

  /** Appends buf[from, to) to the pending line; false (after reporting) when it grows too long. */
  private appendLine(buf: Uint8Array, from: number, to: number): boolean {
    const add = to - from;
    if (add === 0) return true;
    const need = this.lineLen + add;
    const limit = this.maxHeaderBytes;
    if (need > limit || (this.isHeadState() && this.headBytes + need > limit)) {
      this.fail(this.state === S_CHUNK_SIZE ? "chunk-size line too long" : "headers too large");
      return false;
    }
    if (need > this.line.length) {
      const grown = new Uint8Array(Math.max(need, this.line.length * 2, 256));
      grown.set(this.line.subarray(0, this.lineLen));
      this.line = grown;
    }
    this.line.set(buf.subarray(from, to), this.lineLen);
    this.lineLen = need;
    return true;
  }

  private isHeadState(): boolean {
    return this.state === S_STATUS || this.state === S_HEADER || this.state === S_TRAILER;
  }

  private fail(reason: string): void {
    this.state = S_ERROR;
    this.sink.onError(reason);
  }

  /** One complete line (without CR/LF) in b[start, end); `raw` = its length on the wire. */
  private onLine(b: Uint8Array, start: number, end: number, raw: number): void {
    switch (this.state) {
      case S_CHUNK_SIZE:
        this.onChunkSize(b, start, end);
        return;
    }
    // Head or trailer lines: enforce the size limit.
    this.headBytes += raw;
    if (this.headBytes > this.maxHeaderBytes) return this.fail("headers too large");
    if (this.state === S_STATUS) {
      if (end === start) {
        this.headBytes = 0; // stray empty lines before a status line are ignored
        return;
      }
      const status = statusOf(b, start, end);
      if (status < 0) return this.fail(`malformed status line: ${JSON.stringify(latin1(b, start, Math.min(end, start + 80)))}`);
      this.minorVersion = b[start + 7] === 48 ? 0 : 1;
      this.status = status;
      this.state = S_HEADER;
      return;
    }
    if (this.state === S_TRAILER) {
      if (end === start) {
        this.state = S_DONE;
        this.sink.onEnd();
      }
      return; // trailer fields are not reported
    }
    // S_HEADER
    if (end === start) return this.onHeadComplete();
    const first = b[start];
    if (first === SP || first === HTAB) {
      // obs-fold: continuation of the previous field value.
      if (this.lastHeader === null) return this.fail("header continuation without a header");
      const more = latin1Trimmed(b, start, end);
      if (more) this.headers[this.lastHeader] += ` ${more}`;
      return;
    }
    // Name and value are read off the bytes: two strings a header, no Buffer or copy of the line.
    const colon = b.indexOf(COLON, start);
    const name = colon > start && colon < end ? latin1(b, start, colon) : "";
    if (!TOKEN_RE.test(name)) return this.fail(`malformed header line: ${JSON.stringify(latin1(b, start, Math.min(end, start + 80)))}`);
    const key = name.toLowerCase();
    const value = latin1Trimmed(b, colon + 1, end);
    const prev = this.headers[key];
    this.headers[key] = prev === undefined ? value : `${prev}, ${value}`;
    this.lastHeader = key;
  }

  private onHeadComplete(): void {
    const status = this.status;
    const headers = this.headers;
    this.headers = Object.create(null) as Record<string, string>;
    this.lastHeader = null;
    this.headBytes = 0;
    if (status < 200) {
      if (status === 101) return this.fail("unexpected 101 Switching Protocols");
      this.state = S_STATUS; // interim response: the real one follows
      return;
    }
    const conn = tokens(headers.connection);
    this.keepAliveFlag = this.minorVersion === 1 ? !conn.includes("close") : conn.includes("keep-alive") && !conn.includes("close");
    let next: number;
    const te = headers["transfer-encoding"];
    const cl = headers["content-length"];
    if (status === 204 || status === 304) {
      next = S_DONE;
    } else if (te !== undefined) {
      const codings = tokens(te);
      if (codings[codings.length - 1] === "chunked") {
        next = S_CHUNK_SIZE;
      } else {
        next = S_BODY_CLOSE;
        this.keepAliveFlag = false;
      }
      if (cl !== undefined) this.keepAliveFlag = false; // both present: must not reuse (RFC 9112 §6.3)
    } else if (cl !== undefined) {
      const len = parseContentLength(cl);
      if (len < 0) return this.fail(`invalid content-length: ${JSON.stringify(cl.slice(0, 80))}`);
      this.remaining = len;
      next = len === 0 ? S_DONE : S_BODY_LENGTH;
    } else {
      next = S_BODY_CLOSE;
      this.keepAliveFlag = false;
    }
    this.state = next;
    this.sink.onHead(status, headers);
    if (next === S_DONE && this.state === S_DONE) this.sink.onEnd();
  }

  private onChunkSize(b: Uint8Array, start: number, end: number): void {
    let i = start;
    while (i < end && (b[i] === 32 || b[i] === 9)) i++; // lenient: leading whitespace
    let size = 0;
    let digits = 0;
    for (; i < end; i++) {
      const c = b[i]!;
      let v: number;
      if (c >= 48 && c <= 57) v = c - 48;
      else if (c >= 97 && c <= 102) v = c - 87;
      else if (c >= 65 && c <= 70) v = c - 55;
      else break;
      size = size * 16 + v;
      digits++;
      if (size > Number.MAX_SAFE_INTEGER) return this.fail("chunk size too large");
    }
    if (digits === 0) return this.fail(`malformed chunk size: ${JSON.stringify(latin1(b, start, Math.min(end, start + 40)))}`);
    while (i < end && (b[i] === 32 || b[i] === 9)) i++;
    if (i < end && b[i] !== 59 /* ; */) return this.fail(`malformed chunk size: ${JSON.stringify(latin1(b, start, Math.min(end, start + 40)))}`);
    // Chunk extensions after ';' are ignored.
    if (size === 0) {
      this.state = S_TRAILER;
      this.headBytes = 0;
    } else {
      this.remaining = size;
      this.state = S_CHUNK_DATA;
    }
  }
}

/** Content-Length value (repeats joined by ", " must agree) → length, or -1 when invalid. */
function parseContentLength(v: string): number {
  let out = -1;
  let from = 0;
  for (;;) {
    const comma = v.indexOf(",", from);
    const to = comma < 0 ? v.length : comma;
    const n = decimalOf(v, from, to);
    if (n < 0 || (out >= 0 && n !== out)) return -1;
    out = n;
    if (comma < 0) return out;
    from = comma + 1;
  }
}

/** v[from, to) without surrounding spaces and tabs as 1-15 decimal digits → its value, else -1. */
function decimalOf(v: string, from: number, to: number): number {
  let i = from;
  let j = to;
  while (i < j && isOws(v.charCodeAt(i))) i++;
  while (j > i && isOws(v.charCodeAt(j - 1))) j--;
  if (j === i || j - i > 15) return -1;
  let n = 0;
  for (let k = i; k < j; k++) {
    const c = v.charCodeAt(k);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

/** Comma-separated list → lower-case, trimmed, non-empty tokens. */
function tokens(v: string | undefined): string[] {
  if (v === undefined) return [];
  const out: string[] = [];
  for (const part of v.split(",")) {
    const t = trimOws(part).toLowerCase();
    if (t) out.push(t);
  }
  return out;
}

const isOws = (c: number | undefined): boolean => c === SP || c === HTAB;

function trimOws(s: string): string {
  let i = 0;
  let j = s.length;
  while (i < j && isOws(s.charCodeAt(i))) i++;
  while (j > i && isOws(s.charCodeAt(j - 1))) j--;
  return i === 0 && j === s.length ? s : s.slice(i, j);
}

/** `HTTP/1.x NNN[ reason]` in b[start, end) → NNN, or -1 when the line is not a status line. */
function statusOf(b: Uint8Array, start: number, end: number): number {
  if (end - start < 12) return -1;
  for (let k = 0; k < HTTP_1.length; k++) if (b[start + k] !== HTTP_1[k]) return -1;
  const minor = b[start + 7]!;
  if ((minor !== 48 && minor !== 49) || b[start + 8] !== SP) return -1;
  let status = 0;
  for (let k = start + 9; k < start + 12; k++) {
    const c = b[k]!;
    if (c < 48 || c > 57) return -1;
    status = status * 10 + (c - 48);
  }
  if (end === start + 12) return status;
  // A reason phrase follows a space or tab; a CR inside the line is not allowed.
  if (!isOws(b[start + 12])) return -1;
  const cr = b.indexOf(CR, start + 13);
  return cr < 0 || cr >= end ? status : -1;
}

// Bun's Buffer methods take any Uint8Array: text is read off the bytes with no Buffer made per call.
const latin1Slice = Buffer.prototype.latin1Slice as (this: Uint8Array, start: number, end: number) => string;

function latin1(b: Uint8Array, start: number, end: number): string {
  return latin1Slice.call(b, start, end);
}

/** latin1(b, start, end) without leading and trailing spaces and tabs. */
function latin1Trimmed(b: Uint8Array, start: number, end: number): string {
  let i = start;
  let j = end;
  while (i < j && isOws(b[i])) i++;
  while (j > i && isOws(b[j - 1])) j--;
  return latin1(b, i, j);
}
