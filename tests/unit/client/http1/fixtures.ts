// Raw HTTP/1.1 responses shared by the parser tests (and replayed split at arbitrary boundaries).

export interface ResponseFixture {
  name: string;
  raw: string;
  /** Feed eof() after the bytes (connection closed). */
  close?: boolean;
  expect: {
    status?: number;
    headers?: Record<string, string>;
    body?: string;
    /** onEnd emitted. */
    end: boolean;
    /** onError emitted with a reason matching this. */
    error?: RegExp;
    /** Default: `end` (a cleanly ended HTTP/1.1 response keeps the connection). */
    keepAlive?: boolean;
    trailingBytes?: number;
  };
}

/** Chunked framing of ASCII parts, ending with the 0-chunk and no trailers. */
function chunked(parts: string[]): string {
  return parts.map((p) => `${p.length.toString(16)}\r\n${p}\r\n`).join("") + "0\r\n\r\n";
}

export const FIXTURES: ResponseFixture[] = [
  {
    name: "content-length",
    raw: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
    expect: { status: 200, headers: { "content-length": "5", "content-type": "text/plain" }, body: "hello", end: true, keepAlive: true },
  },
  {
    name: "chunked with extensions and trailers",
    raw:
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/event-stream\r\n\r\n" +
      '5;name=value\r\nhello\r\n6 ; a=1; b="x;y"\r\n world\r\n0;last\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n',
    expect: { status: 200, headers: { "transfer-encoding": "chunked" }, body: "hello world", end: true, keepAlive: true },
  },
  {
    name: "chunked: upper-case hex, leading zeros, no trailers",
    raw: "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0A\r\n0123456789\r\n001\r\n!\r\n0\r\n\r\n",
    expect: { status: 200, body: "0123456789!", end: true, keepAlive: true },
  },
  {
    name: "chunked SSE stream",
    raw:
      "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n" +
      chunked(['data: {"a":"tok1"}\n\n', 'data: {"a":"tok2"}\n\n', "data: [DONE]\n\n"]),
    expect: { status: 200, body: 'data: {"a":"tok1"}\n\ndata: {"a":"tok2"}\n\ndata: [DONE]\n\n', end: true, keepAlive: true },
  },
  {
    name: "close-delimited body",
    raw: "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end",
    close: true,
    expect: { status: 200, body: "until the end", end: true, keepAlive: false },
  },
  {
    name: "close-delimited body, connection still open: incomplete",
    raw: "HTTP/1.1 200 OK\r\n\r\npartial",
    expect: { status: 200, body: "partial", end: false, keepAlive: false },
  },
  {
    name: "connection: close",
    raw: "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
    expect: { status: 200, body: "ok", end: true, keepAlive: false },
  },
  {
    name: "connection header token list with close",
    raw: "HTTP/1.1 200 OK\r\nConnection: Upgrade, Close\r\nContent-Length: 2\r\n\r\nok",
    expect: { status: 200, body: "ok", end: true, keepAlive: false },
  },
  {
    name: "HTTP/1.0 without keep-alive",
    raw: "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
    expect: { status: 200, body: "ok", end: true, keepAlive: false },
  },
  {
    name: "HTTP/1.0 with keep-alive",
    raw: "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok",
    expect: { status: 200, body: "ok", end: true, keepAlive: true },
  },
  {
    name: "100 Continue then 200",
    raw: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
    expect: { status: 200, headers: { "content-length": "3" }, body: "abc", end: true, keepAlive: true },
  },
  {
    name: "103 Early Hints with headers, then 201",
    raw: "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
    expect: { status: 201, headers: { "content-length": "0" }, body: "", end: true, keepAlive: true },
  },
  {
    name: "204 has no body",
    raw: "HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n",
    expect: { status: 204, headers: { "x-a": "1" }, body: "", end: true, keepAlive: true },
  },
  {
    name: "304 has no body even with content-length",
    raw: "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n",
    expect: { status: 304, body: "", end: true, keepAlive: true },
  },
  {
    name: "content-length 0",
    raw: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    expect: { status: 200, body: "", end: true, keepAlive: true },
  },
  {
    name: "repeated headers joined, names folded, OWS trimmed",
    raw: "HTTP/1.1 200 OK\r\nX-A: 1\r\nx-a:2\r\nX-B: \t spaced \t\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nContent-Length: 0\r\n\r\n",
    expect: { status: 200, headers: { "x-a": "1, 2", "x-b": "spaced", "set-cookie": "a=1, b=2", "content-length": "0" }, body: "", end: true },
  },
  {
    name: "obs-fold continuation",
    raw: "HTTP/1.1 200 OK\r\nX-Long: first\r\n   second\r\n\tthird\r\nContent-Length: 0\r\n\r\n",
    expect: { status: 200, headers: { "x-long": "first second third" }, body: "", end: true },
  },
  {
    name: "bare LF line endings",
    raw: "HTTP/1.1 200 OK\nContent-Type: x\ntransfer-encoding: chunked\n\n3\nabc\n0\n\n",
    expect: { status: 200, headers: { "content-type": "x" }, body: "abc", end: true, keepAlive: true },
  },
  {
    name: "status line without reason phrase",
    raw: "HTTP/1.1 200\r\nContent-Length: 1\r\n\r\nx",
    expect: { status: 200, body: "x", end: true },
  },
  {
    name: "empty lines before the status line are skipped",
    raw: "\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
    expect: { status: 200, body: "x", end: true },
  },
  {
    name: "transfer-encoding and content-length: chunked wins, no reuse",
    raw: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    expect: { status: 200, body: "abc", end: true, keepAlive: false },
  },
  {
    name: "transfer-encoding gzip, chunked: chunked framing",
    raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nzz\r\n0\r\n\r\n",
    expect: { status: 200, body: "zz", end: true, keepAlive: true },
  },
  {
    name: "transfer-encoding without chunked: until close",
    raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nrawbytes",
    close: true,
    expect: { status: 200, body: "rawbytes", end: true, keepAlive: false },
  },
  {
    name: "identical repeated content-length",
    raw: "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
    expect: { status: 200, body: "abc", end: true, keepAlive: true },
  },
  {
    name: "non-2xx with body",
    raw: 'HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nContent-Length: 24\r\n\r\n{"error":{"message":""}}',
    expect: { status: 429, body: '{"error":{"message":""}}', end: true, keepAlive: true },
  },
  {
    name: "bytes after the response",
    raw: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA",
    expect: { status: 200, body: "ok", end: true, keepAlive: false, trailingBytes: 5 },
  },
  {
    name: "content-length body cut short by close",
    raw: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
    close: true,
    expect: { status: 200, body: "abc", end: false },
  },
  {
    name: "chunked body cut short by close",
    raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
    close: true,
    expect: { status: 200, body: "hel", end: false },
  },
  {
    name: "chunked: close before trailers end",
    raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nX-T: 1\r\n",
    close: true,
    expect: { status: 200, body: "a", end: false },
  },
  {
    name: "close before the head is complete",
    raw: "HTTP/1.1 200 OK\r\nContent-Len",
    close: true,
    expect: { end: false },
  },
  // --- protocol errors ---
  { name: "garbage status line", raw: "HELLO THERE\r\n\r\n", expect: { end: false, error: /malformed status line/ } },
  { name: "HTTP/2 status line", raw: "HTTP/2 200\r\n\r\n", expect: { end: false, error: /malformed status line/ } },
  { name: "two-digit status", raw: "HTTP/1.1 20 OK\r\n\r\n", expect: { end: false, error: /malformed status line/ } },
  {
    name: "header line without colon",
    raw: "HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n",
    expect: { end: false, error: /malformed header line/ },
  },
  {
    name: "space before colon",
    raw: "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok",
    expect: { end: false, error: /malformed header line/ },
  },
  {
    name: "continuation line first",
    raw: "HTTP/1.1 200 OK\r\n folded\r\n\r\n",
    expect: { end: false, error: /continuation/ },
  },
  {
    name: "conflicting content-length",
    raw: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
    expect: { end: false, error: /content-length/ },
  },
  {
    name: "non-numeric content-length",
    raw: "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
    expect: { end: false, error: /content-length/ },
  },
  {
    name: "bad chunk size",
    raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n",
    expect: { status: 200, body: "", end: false, error: /chunk size/ },
  },
  {
    name: "junk after chunk size",
    raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3x\r\nabc\r\n",
    expect: { status: 200, body: "", end: false, error: /chunk size/ },
  },
  {
    name: "chunk size too large",
    raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n",
    expect: { status: 200, body: "", end: false, error: /chunk size too large/ },
  },
  {
    name: "chunk data longer than its size",
    raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n",
    expect: { status: 200, body: "abc", end: false, error: /CRLF after chunk/ },
  },
  {
    name: "two CRs after chunk data",
    raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\r\n0\r\n\r\n",
    expect: { status: 200, body: "abc", end: false, error: /CRLF after chunk/ },
  },
  {
    name: "101 switching protocols",
    raw: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
    expect: { end: false, error: /101/ },
  },
];
