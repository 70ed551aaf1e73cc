// Serializes one HTTP/1.1 request into a single buffer (head + body), ready for one socket write.
// The transport owns host, content-length and connection; header names and values are validated so
// that nothing a caller passes can split the head (header injection) or smuggle framing.

import type { HttpRequest, SharedHeaders } from "./transport.ts";

const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE_RE = /[\r\n\0]/;
/** Set by the transport; a caller's own value for these is dropped. */
const OWNED = new Set(["host", "content-length", "connection", "transfer-encoding"]);

/** Throws when a header name is not an HTTP token or a value contains CR, LF or NUL. */
export function validateHeaders(headers: Record<string, string>): void {
  for (const name of Object.keys(headers)) checkHeader(name, headers[name]);
}

function checkHeader(name: string, value: string | undefined): asserts value is string {
  if (!TOKEN_RE.test(name)) throw new Error(`invalid header name ${JSON.stringify(name)}`);
  if (typeof value !== "string") throw new Error(`header ${name}: value is not a string`);
  if (BAD_VALUE_RE.test(value)) throw new Error(`header ${name}: value contains CR, LF or NUL`);
}

/** `host` header value for a URL: hostname plus the port when it is not the scheme's default. */
export function hostHeader(url: URL): string {
  return url.host; // URL already drops default ports and keeps IPv6 brackets
}

/**
 * `headers` checked (throws on an invalid name or value) and written out as head lines, names lower-cased,
 * without those the transport owns; each also goes into `values` when given (the fetch transport's form).
 */
export function headerLines(headers: Record<string, string>, values: Record<string, string> | null = null): string {
  let lines = "";
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    checkHeader(name, value);
    const lower = name.toLowerCase();
    if (OWNED.has(lower)) continue;
    if (values !== null) values[lower] = value;
    lines += `${lower}: ${value}\r\n`;
  }
  return lines;
}

/** `headers` checked and written out once, for many requests (HttpRequest.shared). Throws on an invalid name or value. */
export function sharedHeaders(headers: Record<string, string>): SharedHeaders {
  const values: Record<string, string> = {};
  return { lines: headerLines(headers, values), values };
}

/** The request line and host header of a request to `url`. Throws for a URL that is not http(s). */
export function requestStart(method: string, url: URL): string {
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`unsupported URL scheme ${url.protocol}`);
  return `${method} ${(url.pathname || "/") + url.search} HTTP/1.1\r\nhost: ${hostHeader(url)}\r\n`;
}

/**
 * `METHOD /path?query HTTP/1.1`, host, the caller's headers (minus the ones the transport owns),
 * content-length (UTF-8 bytes; sent for every POST and for any request with a body), connection:
 * keep-alive, blank line, body. Throws on invalid header names/values or a non-http(s) URL. One
 * buffer, written in place: no separate encodings of head and body to copy together.
 */
export function serializeHttp1Request(req: HttpRequest, url: URL = new URL(req.url), start: string = requestStart(req.method, url)): Uint8Array {
  let head = (req.shared ? start + req.shared.lines : start) + headerLines(req.headers);
  const body = req.body;
  const bodyBytes = body === null ? 0 : Buffer.byteLength(body, "utf8");
  if (body !== null || req.method === "POST") head += `content-length: ${bodyBytes}\r\n`;
  head += "connection: keep-alive\r\n\r\n";
  const headBytes = Buffer.byteLength(head, "utf8");
  const out = Buffer.allocUnsafe(headBytes + bodyBytes);
  out.write(head, 0, "utf8");
  if (body !== null && bodyBytes > 0) out.write(body, headBytes, "utf8");
  return out;
}
