// Transport over Bun's fetch: covers what the HTTP/1.1 socket client does not (HTTP/2, proxies,
// odd servers), at the cost of timing accuracy (each body read is a promise) and Bun's global cap
// on in-flight requests (256 unless BUN_CONFIG_MAX_HTTP_REQUESTS is raised before start).
// onHead when fetch resolves, onData per reader.read() value, onEnd at done; each stamped with
// epochNs() first thing after the await. Same request and error classification as http1:
// `decompress: false` so body bytes are what the server sent (Bun then adds no accept-encoding),
// `redirect: "manual"` so a 3xx is reported as is.
//
// HTTP trace (onTrace): fetch hides its connection pool and socket, so only the response body's
// first and last read are seen (http_req_receiving); pool wait (blocked), connecting, sending, hence
// waiting and duration, bytes on the wire and connection reuse are null. Use --transport http for those.

import { fetchTiming } from "../record/request-record.ts";
import { epochNs } from "../runtime/clock.ts";
import { headerLines } from "./http1-request.ts";
import type { HttpRequest, ResponseHandler, Transport, TransportErrorKind, TransportExchange } from "./transport.ts";

export interface FetchTransportOptions {
  /** https: accept any certificate (no verification). Default false. */
  insecure?: boolean;
}

/** Error codes Bun's fetch uses for failures to reach the server at all. */
const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "ConnectionRefused",
  "FailedToOpenSocket",
  "UnableToConnect",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "EAI_NONAME",
  "DNSException",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "EADDRINUSE",
  "EMFILE",
  "ENFILE",
  "ENOBUFS",
  "ETIMEDOUT",
  "ConnectionTimeout",
]);

export function createFetchTransport(opts: FetchTransportOptions = {}): Transport {
  const insecure = opts.insecure ?? false;
  return {
    name: "fetch",
    send(req: HttpRequest, handler: ResponseHandler, signal: AbortSignal | null = null): TransportExchange {
      // fetch takes one signal: ours, which the caller's (if any) and abort() both fire.
      const own = new AbortController();
      const forward = (): void => own.abort();
      if (signal?.aborted) own.abort();
      else signal?.addEventListener("abort", forward, { once: true });
      run(req, handler, own.signal, insecure)
        .catch((err: unknown) => {
          // Only a handler that threw can get here: surface it outside transport state.
          queueMicrotask(() => {
            throw err;
          });
        })
        .finally(() => signal?.removeEventListener("abort", forward));
      return { abort: forward };
    },
    close(): void {
      // fetch keeps its own connection pool; nothing to release here.
    },
  };
}

async function run(req: HttpRequest, handler: ResponseHandler, signal: AbortSignal, insecure: boolean): Promise<void> {
  let finished = false;
  /** fetch() was called: from then on the exchange has a trace. */
  let sent = false;
  let traced = false;
  const timing = fetchTiming(0, 0);
  const trace = (): void => {
    if (traced) return;
    traced = true;
    handler.onTrace?.(timing);
  };
  const fail = (kind: TransportErrorKind, message: string, at: number): void => {
    if (finished) return;
    finished = true;
    signal.removeEventListener("abort", onAbort);
    if (sent) trace();
    handler.onError(kind, message, at);
  };
  const onAbort = (): void => {
    const at = epochNs();
    fail("aborted", "request aborted", at);
  };

  let headers: Record<string, string>;
  try {
    const url = new URL(req.url);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`unsupported URL scheme ${url.protocol}`);
    headers = req.shared ? { ...req.shared.values } : {};
    headerLines(req.headers, headers);
  } catch (err) {
    const at = epochNs();
    await Promise.resolve(); // asynchronous, like every other outcome
    fail("protocol", `invalid request: ${err instanceof Error ? err.message : String(err)}`, at);
    return;
  }
  if (signal.aborted) {
    const at = epochNs();
    await Promise.resolve();
    fail("aborted", "request aborted before it was sent", at);
    return;
  }
  signal.addEventListener("abort", onAbort, { once: true });

  let res: Response;
  sent = true;
  try {
    const init: BunFetchRequestInit & { decompress?: boolean } = {
      method: req.method,
      headers,
      signal,
      redirect: "manual",
      decompress: false,
    };
    if (req.body !== null) init.body = req.body;
    else if (req.method === "POST") init.body = "";
    if (insecure) init.tls = { rejectUnauthorized: false };
    res = await fetch(req.url, init);
  } catch (err) {
    const at = epochNs();
    fail(classifyFetchError(err, signal), describeFetchError(err), at);
    return;
  }
  const atHead = epochNs();
  if (finished) {
    res.body?.cancel().catch(() => {});
    return;
  }
  handler.onHead(res.status, headersToRecord(res.headers), atHead);
  if (finished) {
    res.body?.cancel().catch(() => {});
    return;
  }
  if (res.body === null) {
    finished = true;
    signal.removeEventListener("abort", onAbort);
    timing.first_byte_ns = atHead;
    timing.last_byte_ns = atHead;
    trace();
    handler.onEnd(atHead);
    return;
  }
  const reader = res.body.getReader();
  try {
    for (;;) {
      const r = await reader.read();
      const at = epochNs();
      if (finished) break;
      if (r.done) {
        finished = true;
        signal.removeEventListener("abort", onAbort);
        if (timing.first_byte_ns === 0) timing.first_byte_ns = timing.last_byte_ns = atHead;
        trace();
        handler.onEnd(at);
        return;
      }
      if (timing.first_byte_ns === 0) timing.first_byte_ns = at;
      timing.last_byte_ns = at;
      handler.onData(r.value, at);
    }
  } catch (err) {
    const at = epochNs();
    fail(classifyFetchError(err, signal), describeFetchError(err), at);
  }
  if (finished) reader.cancel().catch(() => {});
}

/** Bun's fetch errors → transport error kinds. */
function classifyFetchError(err: unknown, signal?: AbortSignal): TransportErrorKind {
  const e = err as { name?: unknown; code?: unknown } | null;
  if (signal?.aborted || e?.name === "AbortError") return "aborted";
  const code = typeof e?.code === "string" ? e.code : "";
  if (CONNECT_CODES.has(code) || /CERT|TLS|SSL|certificate/i.test(code)) return "connect";
  if (/invalid|malformed|parse|unsupported/i.test(code)) return "protocol";
  return "closed";
}

function describeFetchError(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === "string" ? e.code : "";
  const msg = typeof e?.message === "string" ? e.message : String(err);
  return code && !msg.includes(code) ? `${code}: ${msg}` : msg;
}

/** Lower-case names; repeated headers joined with ", " (as the HTTP/1.1 parser does). */
function headersToRecord(h: Headers): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  h.forEach((value, name) => {
    const prev = out[name];
    out[name] = prev === undefined ? value : `${prev}, ${value}`;
  });
  return out;
}
