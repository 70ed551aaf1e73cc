import { describe, expect, test } from "bun:test";
import { hostHeader, requestStart, serializeHttp1Request, sharedHeaders, validateHeaders } from "../../../../src/client/http1-request.ts";
import type { HttpRequest } from "../../../../src/client/transport.ts";

const dec = new TextDecoder();

function req(over: Partial<HttpRequest>): HttpRequest {
  return { url: "http://127.0.0.1:8000/v1/chat/completions", method: "POST", headers: {}, body: "{}", ...over };
}

describe("serializeHttp1Request", () => {
  test("POST with path, query, headers and a UTF-8 body", () => {
    const body = '{"prompt":"héllo ✓ 🚀"}';
    const out = serializeHttp1Request(
      req({ url: "http://example.test:8080/v1/completions?x=1&y=%20", headers: { "content-type": "application/json", authorization: "Bearer k" }, body }),
    );
    const bodyBytes = new TextEncoder().encode(body);
    expect(bodyBytes.length).toBeGreaterThan(body.length); // multi-byte characters counted as bytes
    expect(dec.decode(out)).toBe(
      "POST /v1/completions?x=1&y=%20 HTTP/1.1\r\n" +
        "host: example.test:8080\r\n" +
        "content-type: application/json\r\n" +
        "authorization: Bearer k\r\n" +
        `content-length: ${bodyBytes.length}\r\n` +
        "connection: keep-alive\r\n\r\n" +
        body,
    );
  });

  test("the body's bytes are TextEncoder's, lone surrogates and NUL included, and content-length counts them", () => {
    for (const body of ["\ud800", "a\udc00b", "\ud83d\ude80", "x\u0000y", "é".repeat(5000), ""]) {
      const out = serializeHttp1Request(req({ body }));
      const bodyBytes = new TextEncoder().encode(body);
      const headEnd = out.indexOf(13, out.length - bodyBytes.length - 4) + 4;
      expect(headEnd).toBe(out.length - bodyBytes.length);
      expect([...out.subarray(headEnd)]).toEqual([...bodyBytes]);
      expect(dec.decode(out.subarray(0, headEnd))).toContain(`content-length: ${bodyBytes.length}\r\n`);
    }
  });

  test("a precomputed request line is used as given", () => {
    const url = new URL("http://h:1/p?q");
    const out = dec.decode(serializeHttp1Request(req({ url: url.href, body: "{}" }), url, requestStart("POST", url)));
    expect(out).toBe("POST /p?q HTTP/1.1\r\nhost: h:1\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\n{}");
    expect(() => requestStart("GET", new URL("ftp://h/x"))).toThrow(/scheme/);
  });

  test("shared headers are checked once and written before the request's own: the bytes of the merged headers", () => {
    const base = { "User-Agent": "ua", "content-type": "application/json", Host: "evil", authorization: "Bearer k" };
    const own = { "x-request-id": "r1" };
    const shared = sharedHeaders(base);
    expect(shared.values).toEqual({ "user-agent": "ua", "content-type": "application/json", authorization: "Bearer k" });
    const merged = dec.decode(serializeHttp1Request(req({ headers: { ...base, ...own } })));
    expect(dec.decode(serializeHttp1Request(req({ headers: own, shared })))).toBe(merged);
    expect(merged).toContain("user-agent: ua\r\ncontent-type: application/json\r\nauthorization: Bearer k\r\nx-request-id: r1\r\n");
    expect(() => sharedHeaders({ "x-a": "v\r\nx-injected: 1" })).toThrow(/CR, LF or NUL/);
    expect(() => sharedHeaders({ "bad name": "v" })).toThrow(/invalid header name/);
  });

  test("GET without a body has no content-length; POST without a body says 0", () => {
    expect(dec.decode(serializeHttp1Request(req({ method: "GET", url: "http://h/models", body: null })))).toBe(
      "GET /models HTTP/1.1\r\nhost: h\r\nconnection: keep-alive\r\n\r\n",
    );
    expect(dec.decode(serializeHttp1Request(req({ url: "http://h/", body: null })))).toBe(
      "POST / HTTP/1.1\r\nhost: h\r\ncontent-length: 0\r\nconnection: keep-alive\r\n\r\n",
    );
  });

  test("empty path becomes /; default ports are left out of host; IPv6 keeps brackets", () => {
    expect(dec.decode(serializeHttp1Request(req({ url: "http://h", body: null, method: "GET" })))).toStartWith("GET / HTTP/1.1\r\nhost: h\r\n");
    expect(hostHeader(new URL("https://h:443/"))).toBe("h");
    expect(hostHeader(new URL("http://h:80/"))).toBe("h");
    expect(hostHeader(new URL("https://h:8443/"))).toBe("h:8443");
    expect(hostHeader(new URL("http://[::1]:9000/"))).toBe("[::1]:9000");
  });

  test("headers the transport owns are replaced, names are lower-cased", () => {
    const text = dec.decode(
      serializeHttp1Request(
        req({ headers: { Host: "evil", "Content-Length": "999", connection: "close", "transfer-encoding": "chunked", "X-Trace": "t" }, body: "ab" }),
      ),
    );
    expect(text).toBe("POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1:8000\r\nx-trace: t\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nab");
  });

  test("header injection is rejected", () => {
    expect(() => serializeHttp1Request(req({ headers: { "x-a": "v\r\nx-injected: 1" } }))).toThrow(/CR, LF or NUL/);
    expect(() => serializeHttp1Request(req({ headers: { "x-a": "v\nx" } }))).toThrow(/CR, LF or NUL/);
    expect(() => serializeHttp1Request(req({ headers: { "x-a": "v\rx" } }))).toThrow(/CR, LF or NUL/);
    expect(() => serializeHttp1Request(req({ headers: { "x-a": "v\0x" } }))).toThrow(/CR, LF or NUL/);
    expect(() => serializeHttp1Request(req({ headers: { "x a": "v" } }))).toThrow(/invalid header name/);
    expect(() => serializeHttp1Request(req({ headers: { "x-a\r\n": "v" } }))).toThrow(/invalid header name/);
    expect(() => serializeHttp1Request(req({ headers: { "": "v" } }))).toThrow(/invalid header name/);
    expect(() => validateHeaders({ "x-ok": "tab\tand spaces are fine" })).not.toThrow();
  });

  test("only http and https URLs", () => {
    expect(() => serializeHttp1Request(req({ url: "ftp://h/x" }))).toThrow(/scheme/);
    expect(() => serializeHttp1Request(req({ url: "not a url" }))).toThrow();
  });
});
