// Connections for the HTTP/1.1 transport: one keep-alive pool per origin over Bun.connect.
// A connection carries one job (request/response exchange) at a time; when the job ends cleanly and
// the response allows it, the connection goes back to the idle stack (LIFO: the warmest socket is
// reused first) and is unref'd, so idle sockets never keep the process alive. A connection that
// saw an error, a reset, an abort or a `connection: close` is terminated and never reused.
// Socket callbacks are shared by all connections (the connection rides in socket.data) and each
// takes its epochNs() timestamp before doing anything else. Data is handled after the poll's batch
// (arrival-batch.ts); every other event first hands over the data queued before it.

import type { Socket, SocketHandler } from "bun";
import { closeSync, openSync } from "node:fs";
import { epochNs } from "../runtime/clock.ts";
import { ArrivalBatch } from "./arrival-batch.ts";

/** What a connection drives: implemented by the transport's exchange. */
export interface Http1Job {
  /** The connection carrying (or opening for) this job; set by the pool, cleared by the job. */
  conn: Http1Connection | null;
  /** True once the job is over (a finished job still queued is skipped). */
  readonly finished: boolean;
  /** Set by the pool when the job had to wait for a connection (per-origin limit): when it started and ended, epoch ns. */
  waitStartNs: number;
  waitEndNs: number;
  /** The connection is ready (TCP open, TLS verified): write the request. */
  attach(conn: Http1Connection, at_ns: number): void;
  data(bytes: Uint8Array, at_ns: number): void;
  /** The socket can take more bytes after a partial write. */
  drain(at_ns: number): void;
  /** The connection could not be opened (connect error, TLS failure, no file descriptors...). */
  connectFailed(message: string, at_ns: number): void;
  /** The attached connection closed (by the peer, a reset or a socket error). */
  closed(message: string, at_ns: number): void;
}

export interface OriginOptions {
  hostname: string;
  port: number;
  tls: boolean;
  /** TLS: skip certificate verification. */
  insecure: boolean;
  maxConnections: number;
}

const CONNECTING = 0;
const BUSY = 1;
const IDLE = 2;
const CLOSED = 3;

const noop = (): void => {};

export class Http1Connection {
  socket: Socket<Http1Connection> | null = null;
  state = CONNECTING;
  job: Http1Job | null = null;
  /** Requests completed on this connection (> 0: it is a reused keep-alive connection). */
  served = 0;
  /** Close instead of pooling when the current job ends (set by OriginPool.closeIdle). */
  noReuse = false;
  lastError: Error | null = null;
  /** True while Bun.connect() runs: a connectError then means the failure was local. */
  inConnectCall = false;
  /** Opening: Bun.connect() called, and the connection ready (TCP open, TLS verified), epoch ns. */
  connectStartNs = 0;
  connectEndNs = 0;

  constructor(readonly pool: OriginPool) {}

  get reused(): boolean {
    return this.served > 0;
  }

  /** Writes as much as the socket takes now; returns the bytes written (0 when it is full or gone). */
  write(bytes: Uint8Array, offset: number): number {
    const s = this.socket;
    if (s === null || this.state === CLOSED) return 0;
    const n = s.write(bytes, offset, bytes.length - offset);
    return n > 0 ? n : 0;
  }

  /** The job is over. `reusable`: the exchange ended cleanly and the response allows keep-alive. */
  release(reusable: boolean): void {
    this.job = null;
    if (this.state === CLOSED) return;
    this.served++;
    if (!reusable || this.noReuse || this.pool.closing) {
      this.destroy();
      return;
    }
    this.state = IDLE;
    this.socket?.unref();
    this.pool.idle.push(this);
    this.pool.dispatch();
  }

  /** Terminates the socket (now, or as soon as it opens) and frees the pool slot. Idempotent. */
  destroy(): void {
    if (this.state === CLOSED) return;
    const wasIdle = this.state === IDLE;
    this.state = CLOSED;
    this.job = null;
    this.pool.forget(this, wasIdle);
    const s = this.socket;
    if (s !== null) s.terminate();
    this.pool.dispatch();
  }

  // --- socket events (called from HANDLERS) ---

  onOpen(socket: Socket<Http1Connection>, at: number): void {
    this.socket = socket;
    if (this.state === CLOSED) {
      socket.terminate(); // destroyed (aborted) while connecting
      return;
    }
    if (!this.pool.opts.tls) this.ready(at);
    // TLS: wait for the handshake callback.
  }

  onHandshake(success: boolean, authError: Error | null, at: number): void {
    if (this.state === CLOSED) return;
    // Bun reports success=false for a certificate whose name does not match the host even with
    // rejectUnauthorized: false; --insecure means accept it (the connection is usable).
    if (!success && !this.pool.opts.insecure) {
      const job = this.job;
      this.destroy();
      const code = (authError as { code?: string } | null)?.code;
      job?.connectFailed(`TLS certificate rejected: ${code ? `${code}: ` : ""}${authError?.message ?? "handshake failed"}`, at);
      return;
    }
    this.ready(at);
  }

  private ready(at: number): void {
    const job = this.job;
    if (job === null) {
      this.destroy(); // nobody waits for it any more
      return;
    }
    this.state = BUSY;
    this.connectEndNs = at;
    job.attach(this, at);
  }

  onConnectError(err: Error, at: number): void {
    if (this.state === CLOSED) return;
    const job = this.job;
    const local = this.inConnectCall;
    this.job = null;
    this.destroy();
    if (job === null) return;
    const message = describeConnectError(err, this.pool, local);
    // A local failure fires inside Bun.connect(), i.e. inside send(): report it asynchronously.
    if (local) queueMicrotask(() => job.connectFailed(message, at));
    else job.connectFailed(message, at);
  }

  onData(bytes: Uint8Array, at: number): void {
    const job = this.job;
    if (job === null) {
      // Data on an idle connection (or after the response ended): the stream is out of sync.
      this.destroy();
      return;
    }
    job.data(bytes, at);
  }

  onDrain(at: number): void {
    this.job?.drain(at);
  }

  onClose(err: Error | undefined, at: number): void {
    const job = this.job;
    const connecting = this.state === CONNECTING;
    if (err) this.lastError = err;
    this.destroy();
    if (job === null) return;
    const e = err ?? this.lastError;
    if (connecting) job.connectFailed(e ? describeError(e, this.pool) : "connection closed during connect", at);
    else job.closed(e ? describeError(e, this.pool) : "connection closed by the server", at);
  }

  onSocketError(err: Error, at: number): void {
    // A socket error, or a response handler that threw inside a socket callback: never reuse.
    this.lastError = err;
    const job = this.job;
    const connecting = this.state === CONNECTING;
    this.destroy();
    if (job === null) return;
    if (connecting) job.connectFailed(describeError(err, this.pool), at);
    else job.closed(`socket error: ${describeError(err, this.pool)}`, at);
  }
}

/** "CODE: message (host:port)", keeping the OS error code (ECONNREFUSED, EMFILE, ...) visible. */
function describeError(err: unknown, pool?: OriginPool): string {
  const e = err as { code?: unknown; message?: unknown; name?: unknown } | null;
  const code = typeof e?.code === "string" && e.code ? e.code : typeof e?.name === "string" ? e.name : "Error";
  const msg = typeof e?.message === "string" ? e.message : String(err);
  const where = pool ? ` (${pool.opts.hostname}:${pool.opts.port})` : "";
  return msg.includes(code) ? `${msg}${where}` : `${code}: ${msg}${where}`;
}

/**
 * Bun (1.4) reports any failure to open a socket as ECONNREFUSED "Failed to connect", even when
 * socket(2) failed with EMFILE (oven-sh/bun#36140, #39579). Recover the real cause: probe the fd
 * table, and tell a local failure (raised inside Bun.connect) from a refusal by the server.
 */
function describeConnectError(err: unknown, pool: OriginPool, local: boolean): string {
  const base = describeError(err, pool);
  const code = (err as { code?: unknown } | null)?.code;
  if (code !== "ECONNREFUSED") return base;
  const fdError = probeFileDescriptor();
  if (fdError !== null) return `${fdError}: no file descriptor left for a new connection (raise ulimit -n; Bun reported: ${base})`;
  // Fds are available, yet connect(2) failed at once: a local cause Bun does not name. Most likely
  // no free local port (EADDRNOTAVAIL) or no route (ENETUNREACH); a refusal by a peer arrives later.
  if (local) return `EADDRNOTAVAIL or ENETUNREACH (likely): connect failed locally, before reaching the server (Bun reported: ${base})`;
  return base;
}

/** Null when a file descriptor can be opened, else the error code (EMFILE, ENFILE). */
function probeFileDescriptor(): string | null {
  try {
    closeSync(openSync("/dev/null", "r"));
    return null;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return typeof code === "string" ? code : "EMFILE";
  }
}

/** This thread's socket data, stamped and waiting to be handled. */
const arrivals = new ArrivalBatch();

/** Hands over the data that arrived before now (an abort does, so a response already in is not lost). */
export function flushArrivals(): void {
  arrivals.flush();
}

const HANDLERS: SocketHandler<Http1Connection> = {
  open(socket) {
    const at = epochNs();
    socket.data.onOpen(socket, at);
  },
  handshake(socket, success, authorizationError) {
    const at = epochNs();
    socket.data.onHandshake(success, authorizationError, at);
  },
  data(socket, bytes) {
    const at = epochNs();
    arrivals.push(socket.data, bytes, at);
  },
  drain(socket) {
    const at = epochNs();
    arrivals.flush();
    socket.data.onDrain(at);
  },
  close(socket, err) {
    const at = epochNs();
    arrivals.flush();
    socket.data.onClose(err, at);
  },
  error(socket, err) {
    const at = epochNs();
    arrivals.flush();
    socket.data.onSocketError(err, at);
  },
  connectError(socket, err) {
    const at = epochNs();
    arrivals.flush();
    socket.data.onConnectError(err, at);
  },
};

export class OriginPool {
  readonly idle: Http1Connection[] = [];
  /** Connections counted against the limit: connecting, busy or idle. */
  open = 0;
  /** Jobs waiting for a connection (only when the per-origin limit is reached). */
  private waiting: Http1Job[] = [];
  private waitHead = 0;
  /** Set by closeIdle(): connections finishing their job close instead of going idle. */
  closing = false;
  private dispatching = false;
  private readonly live = new Set<Http1Connection>();

  constructor(readonly opts: OriginOptions) {}

  get waitingCount(): number {
    return this.waiting.length - this.waitHead;
  }

  /** Runs `job` on an idle connection, a new one, or (at the limit) when one frees up. */
  acquire(job: Http1Job, fresh = false): void {
    this.closing = false;
    if (!fresh) {
      const conn = this.idle.pop();
      if (conn !== undefined) {
        this.assign(conn, job);
        return;
      }
    }
    if (this.open < this.opts.maxConnections) {
      this.connect(job);
    } else {
      job.waitStartNs = epochNs();
      this.waiting.push(job);
    }
  }

  /** Closes idle connections; busy ones close when their job ends. */
  closeIdle(): void {
    this.closing = true;
    for (const c of [...this.idle]) c.destroy();
    for (const c of this.live) c.noReuse = true;
  }

  /** Hands free capacity to waiting jobs. Re-entrant calls fold into the running loop. */
  dispatch(): void {
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      this.dispatchLoop();
    } finally {
      this.dispatching = false;
    }
  }

  private dispatchLoop(): void {
    while (this.waitHead < this.waiting.length) {
      const conn = this.idle.pop();
      if (conn === undefined && this.open >= this.opts.maxConnections) break;
      const job = this.waiting[this.waitHead]!;
      this.waitHead++;
      if (job.finished) {
        if (conn !== undefined) this.idle.push(conn);
        continue; // aborted while waiting
      }
      job.waitEndNs = epochNs();
      if (conn !== undefined) this.assign(conn, job);
      else this.connect(job);
    }
    if (this.waitHead > 0 && this.waitHead === this.waiting.length) {
      this.waiting = [];
      this.waitHead = 0;
    }
  }

  /** Called once per connection when it closes. */
  forget(conn: Http1Connection, wasIdle: boolean): void {
    if (!this.live.delete(conn)) return;
    this.open--;
    if (wasIdle) {
      const i = this.idle.indexOf(conn);
      if (i >= 0) this.idle.splice(i, 1);
    }
  }

  private assign(conn: Http1Connection, job: Http1Job): void {
    conn.job = job;
    job.conn = conn;
    conn.state = BUSY;
    conn.noReuse = false;
    conn.socket?.ref();
    job.attach(conn, epochNs());
  }

  private connect(job: Http1Job): void {
    const conn = new Http1Connection(this);
    conn.job = job;
    job.conn = conn;
    this.open++;
    this.live.add(conn);
    const { hostname, port, tls, insecure } = this.opts;
    conn.inConnectCall = true;
    conn.connectStartNs = epochNs();
    try {
      const p = Bun.connect<Http1Connection>({
        hostname,
        port,
        data: conn,
        socket: HANDLERS,
        ...(tls ? { tls: isIpLiteral(hostname) ? { rejectUnauthorized: !insecure } : { rejectUnauthorized: !insecure, serverName: hostname } } : {}),
      });
      p.catch(noop); // failures arrive through connectError
    } catch (err) {
      // Synchronous failure (e.g. no file descriptor left): report asynchronously, like the rest.
      const at = epochNs();
      conn.job = null;
      job.conn = null;
      conn.destroy();
      queueMicrotask(() => job.connectFailed(describeError(err, this), at));
    } finally {
      conn.inConnectCall = false;
    }
  }
}

function isIpLiteral(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(":");
}
