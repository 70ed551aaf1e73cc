// HTTP/1.1 transport over Bun.connect with keep-alive pooling (see http1-pool.ts). Measured more
// accurate than fetch for streaming: every socket callback stamps epochNs() first, body pieces go
// to the handler as the Uint8Array subarrays the parser yields (no per-chunk promise, no string
// conversion), and there is no global cap on in-flight requests.
//
// Error kinds: "connect" (refused, DNS, TLS verification, no file descriptors / local ports: the
// message keeps the OS code such as EMFILE or EADDRNOTAVAIL), "closed" (the server closed or reset
// before the response was complete), "protocol" (unparseable response, or an invalid request such
// as a header value with CR/LF), "aborted" (the signal fired, or abort() was called). Each is reported at most once and
// never after onEnd; errors found before any I/O are reported asynchronously, never thrown.
//
// A request that fails on a *reused* connection before a single response byte arrived (the server
// closed an idle keep-alive connection as we picked it) is retried once on a fresh connection.
//
// Phase stamps (onTrace, see record/request-record.ts HttpTiming): every one is a timestamp a socket
// callback took anyway, except one epochNs() after the request's last write (send end) and, only
// when the per-origin limit makes a request wait, the pool's two wait stamps. Per read: a counter,
// a byte sum and the read's stamp; nothing is allocated per chunk.

import type { HttpTiming } from "../record/request-record.ts";
import { epochNs } from "../runtime/clock.ts";
import { offAbort, onAbort } from "../runtime/abort-fanout.ts";
import { requestStart, serializeHttp1Request } from "./http1-request.ts";
import { Http1ResponseParser, type Http1ParserSink } from "./http1-response-parser.ts";
import { flushArrivals, OriginPool, type Http1Connection, type Http1Job } from "./http1-pool.ts";
import type { HttpRequest, ResponseHandler, Transport, TransportErrorKind, TransportExchange } from "./transport.ts";

export interface Http1TransportOptions {
  /** Most connections open at once to one origin; further requests wait for one. Default: no limit. */
  maxConnectionsPerOrigin?: number;
  /** https: accept any certificate (no verification). Default false. */
  insecure?: boolean;
}

export interface Http1TransportStats {
  /** Connections open or opening (all origins). */
  open: number;
  idle: number;
  /** Requests waiting for a connection (per-origin limit reached). */
  waiting: number;
}

export interface Http1Transport extends Transport {
  stats(): Http1TransportStats;
  /**
   * Opens `count` connections to `url`'s origin and parks them idle, so the first requests do not
   * pay (or queue behind) TCP/TLS setup. Resolves when all are open or failed; failures are left
   * for the real requests to report.
   */
  preconnect(url: string, count: number): Promise<void>;
}

export function createHttp1Transport(opts: Http1TransportOptions = {}): Http1Transport {
  const maxConnections = opts.maxConnectionsPerOrigin ?? Number.POSITIVE_INFINITY;
  if (!(maxConnections >= 1)) throw new Error(`maxConnectionsPerOrigin must be >= 1, got ${maxConnections}`);
  const insecure = opts.insecure ?? false;
  const pools = new Map<string, OriginPool>();

  const poolFor = (url: URL): OriginPool => {
    const tls = url.protocol === "https:";
    const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
    const port = url.port ? Number(url.port) : tls ? 443 : 80;
    const key = `${tls ? "https" : "http"}|${hostname}|${port}`;
    let pool = pools.get(key);
    if (pool === undefined) {
      pool = new OriginPool({ hostname, port, tls, insecure, maxConnections });
      pools.set(key, pool);
    }
    return pool;
  };

  // A run sends to a few URLs many times: each is parsed once, with its pool and POST request line.
  const targets = new Map<string, Target>();
  const targetOf = (raw: string): Target => {
    let t = targets.get(raw);
    if (t === undefined) {
      const url = new URL(raw);
      t = { url, pool: null, postStart: null };
      if (targets.size >= MAX_TARGETS) targets.clear();
      targets.set(raw, t);
    }
    return t;
  };

  return {
    name: "http1",
    send(req: HttpRequest, handler: ResponseHandler, signal: AbortSignal | null = null): TransportExchange {
      let target: Target;
      let bytes: Uint8Array;
      try {
        target = targetOf(req.url);
        const start = req.method === "POST" ? (target.postStart ??= requestStart("POST", target.url)) : requestStart(req.method, target.url);
        bytes = serializeHttp1Request(req, target.url, start);
      } catch (err) {
        return failSoon(handler, "protocol", `invalid request: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (signal?.aborted) return failSoon(handler, "aborted", "request aborted before it was sent");
      const exchange = new Http1Exchange((target.pool ??= poolFor(target.url)), bytes, handler, signal);
      exchange.start();
      return exchange;
    },
    close(): void {
      for (const pool of pools.values()) pool.closeIdle();
    },
    preconnect(url: string, count: number): Promise<void> {
      const pool = poolFor(new URL(url));
      const opens = Array.from({ length: count }, () => new Promise<void>((resolve) => pool.acquire(new ParkingJob(resolve), true)));
      return Promise.all(opens).then(() => undefined);
    },
    stats(): Http1TransportStats {
      let open = 0;
      let idle = 0;
      let waiting = 0;
      for (const p of pools.values()) {
        open += p.open;
        idle += p.idle.length;
        waiting += p.waitingCount;
      }
      return { open, idle, waiting };
    },
  };
}

/** A URL requests go to: parsed once. */
interface Target {
  url: URL;
  /** Set at the first request that serializes (a URL that is not http(s) never gets one). */
  pool: OriginPool | null;
  postStart: string | null;
}

/** URLs kept parsed; past this many (a caller sending to ever new URLs) the cache starts over. */
const MAX_TARGETS = 256;

/** An exchange's request once it is written and answered: `written === bytes.length` still holds. */
const SENT = new Uint8Array(0);

/** What send() returns for a request that ended before any I/O (its error is already queued). */
const ENDED: TransportExchange = { abort() {} };

/** A job that only opens a connection and hands it straight back to the pool's idle stack. */
class ParkingJob implements Http1Job {
  conn: Http1Connection | null = null;
  finished = false;
  waitStartNs = 0;
  waitEndNs = 0;
  constructor(private readonly done: () => void) {}
  attach(conn: Http1Connection): void {
    this.finished = true;
    this.conn = null;
    conn.release(true);
    this.done();
  }
  data(): void {}
  drain(): void {}
  connectFailed(): void {
    this.finished = true;
    this.done();
  }
  closed(): void {
    this.finished = true;
    this.done();
  }
}

/** What this transport sees: every field. */
type Http1Timing = { [K in keyof HttpTiming]: NonNullable<HttpTiming[K]> };

/** One request/response on some connection of `pool`: the parser's sink and the pool's job. */
class Http1Exchange implements Http1Job, Http1ParserSink, TransportExchange {
  conn: Http1Connection | null = null;
  finished = false;
  private parser: Http1ResponseParser | null = null;
  private written = 0;
  /** Timestamp of the socket callback being processed: stamped on parser events. */
  private at = 0;
  private ended = false;
  private retried = false;
  waitStartNs = 0;
  waitEndNs = 0;
  /** Stamp of the response head (first_byte_ns of a response without a body). */
  private headAt = 0;
  private readonly timing: Http1Timing = {
    transport: "http1",
    pool_wait_start_ns: 0,
    pool_wait_end_ns: 0,
    connect_start_ns: 0,
    connect_end_ns: 0,
    send_start_ns: 0,
    send_end_ns: 0,
    first_byte_ns: 0,
    last_byte_ns: 0,
    bytes_sent: 0,
    bytes_received: 0,
    writes: 0,
    reads: 0,
    reused: false,
  };
  constructor(
    private readonly pool: OriginPool,
    /** The serialized request; let go once it is all written and the response has begun (no retry is possible then). */
    private bytes: Uint8Array,
    private readonly handler: ResponseHandler,
    private readonly signal: AbortSignal | null,
  ) {}

  start(): void {
    // The exchange is the listener (handleEvent): no closure per request.
    if (this.signal) onAbort(this.signal, this);
    this.pool.acquire(this);
  }

  abort(): void {
    const at = epochNs();
    // Data that arrived before the abort is the response's: handled first (it may complete it).
    flushArrivals();
    this.fail("aborted", "request aborted", at);
  }

  handleEvent(): void {
    this.abort();
  }

  // --- Http1Job ---

  attach(conn: Http1Connection, at: number): void {
    if (this.finished) {
      conn.release(true);
      return;
    }
    this.conn = conn;
    this.parser = new Http1ResponseParser(this);
    this.ended = false;
    this.written = 0;
    const t = this.timing;
    const reused = conn.reused;
    t.reused = reused;
    t.connect_start_ns = reused ? 0 : conn.connectStartNs;
    t.connect_end_ns = reused ? 0 : conn.connectEndNs;
    t.send_start_ns = at;
    t.bytes_sent = this.bytes.length;
    t.writes = 1;
    t.reads = 0;
    t.bytes_received = 0;
    this.written += conn.write(this.bytes, 0);
    if (this.written === this.bytes.length) t.send_end_ns = epochNs();
    // The rest, if any, goes out on drain.
  }

  drain(_at: number): void {
    const conn = this.conn;
    if (this.finished || conn === null || this.written >= this.bytes.length) return;
    this.written += conn.write(this.bytes, this.written);
    this.timing.writes++;
    if (this.written === this.bytes.length) this.timing.send_end_ns = epochNs();
  }

  data(bytes: Uint8Array, at: number): void {
    if (this.finished) return;
    this.at = at;
    const t = this.timing;
    t.reads++;
    t.bytes_received += bytes.length;
    t.last_byte_ns = at;
    if (this.written === this.bytes.length && this.bytes !== SENT) this.letGoOfRequest();
    this.parser!.feed(bytes);
    if (this.ended && !this.finished) this.complete(at);
  }

  connectFailed(message: string, at: number): void {
    // trace_data of a failed connect: when it started (error_timestamp_ns says when it failed).
    this.timing.connect_start_ns = this.conn?.connectStartNs ?? 0;
    this.conn = null;
    this.fail("connect", message, at);
  }

  closed(message: string, at: number): void {
    const conn = this.conn;
    this.conn = null;
    if (this.finished) return;
    const parser = this.parser;
    if (parser?.eof()) {
      // Close-delimited body: the close is its end (the parser emitted onEnd).
      this.complete(at);
      return;
    }
    if (conn?.reused && (parser === null || parser.bytesSeen === 0) && !this.retried) {
      this.retried = true; // stale keep-alive connection: the server never saw this request
      this.parser = null;
      this.pool.acquire(this, true);
      return;
    }
    this.fail("closed", message, at);
  }

  // --- Http1ParserSink ---

  onHead(status: number, headers: Record<string, string>): void {
    this.headAt = this.at;
    if (!this.finished) this.handler.onHead(status, headers, this.at);
  }

  onData(bytes: Uint8Array): void {
    if (this.timing.first_byte_ns === 0) this.timing.first_byte_ns = this.at;
    if (!this.finished) this.handler.onData(bytes, this.at);
  }

  onEnd(): void {
    this.ended = true; // completed once feed() returns, so trailing bytes are seen first
  }

  onError(reason: string): void {
    this.fail("protocol", reason, this.at);
  }

  // --- endings ---

  private complete(at: number): void {
    this.finished = true;
    if (this.signal) offAbort(this.signal, this);
    const conn = this.conn;
    this.conn = null;
    // Back to the pool first, so a request sent from onEnd can reuse the connection.
    conn?.release(this.parser!.keepAlive && this.written === this.bytes.length);
    this.trace();
    try {
      this.handler.onEnd(at);
    } catch (err) {
      rethrowLater(err);
    }
  }

  private fail(kind: TransportErrorKind, message: string, at: number): void {
    if (this.finished) return;
    this.finished = true;
    if (this.signal) offAbort(this.signal, this);
    this.parser?.halt();
    const conn = this.conn;
    this.conn = null;
    if (conn !== null) {
      conn.job = null;
      conn.destroy(); // never reused after an error; a connect in progress is dropped
    }
    this.trace();
    try {
      this.handler.onError(kind, message, at);
    } catch (err) {
      rethrowLater(err);
    }
  }

  /** A request of any size holds no copy of itself for the rest of a long response. */
  private letGoOfRequest(): void {
    this.bytes = SENT;
    this.written = 0;
  }

  private trace(): void {
    const t = this.timing;
    t.pool_wait_start_ns = this.waitStartNs;
    t.pool_wait_end_ns = this.waitEndNs;
    if (t.first_byte_ns === 0) t.first_byte_ns = this.headAt;
    if (this.handler.onTrace === undefined) return;
    try {
      this.handler.onTrace(t);
    } catch (err) {
      rethrowLater(err);
    }
  }
}

// A final handler callback runs in a try of its own: an exception it throws is rethrown later,
// outside transport state. Not through a helper taking a closure: that closure (over the handler and
// its arguments) was two objects a request.
function rethrowLater(err: unknown): void {
  queueMicrotask(() => {
    throw err;
  });
}

/** A request that ends before it is sent: the handler hears so on a later microtask. */
function failSoon(handler: ResponseHandler, kind: TransportErrorKind, message: string): TransportExchange {
  const at = epochNs();
  queueMicrotask(() => {
    try {
      handler.onError(kind, message, at);
    } catch (err) {
      rethrowLater(err);
    }
  });
  return ENDED;
}
