// The one seam between the engine and the network. A transport sends one HTTP request and reports
// what came back through callbacks, stamping every event with epochNs() the moment it is seen,
// so timing does not depend on promise scheduling. Implementations: fetch-transport.ts (TLS, HTTP/2,
// odd servers) and http1-transport.ts (Bun.connect, HTTP/1.1 keep-alive; measured more accurate).
import type { HttpTiming } from "../record/request-record.ts";

export interface HttpRequest {
  /** Absolute http(s) URL. */
  url: string;
  method: "GET" | "POST";
  /** Lower-case header names. The transport adds host, content-length and connection itself. */
  headers: Record<string, string>;
  /** Headers many requests share, checked and written out once (http1-request.ts); sent before `headers`, whose names they must not repeat. */
  shared?: SharedHeaders | null;
  body: string | null;
}

/** Headers shared by many requests: `sharedHeaders()` makes them (validated, lower-case, none the transport owns). */
export interface SharedHeaders {
  readonly values: Readonly<Record<string, string>>;
  /** The same as head lines, "name: value\r\n" each. */
  readonly lines: string;
}

export interface ResponseHandler {
  /** Status line and headers received. Header names lower-case. */
  onHead(status: number, headers: Record<string, string>, at_ns: number): void;
  /** A piece of the (de-chunked) body, as it arrived from the socket. */
  onData(bytes: Uint8Array, at_ns: number): void;
  /** Body complete (framing satisfied, or clean close for close-delimited bodies). */
  onEnd(at_ns: number): void;
  /**
   * Anything else: connect failure, reset, premature close, abort. Called at most once, and never
   * after onEnd. `kind` lets the caller classify without parsing messages.
   */
  onError(kind: TransportErrorKind, message: string, at_ns: number): void;
  /**
   * The exchange's phase stamps, once, just before onEnd or onError (not for a request refused before
   * any I/O). The object is the handler's to keep.
   */
  onTrace?(timing: HttpTiming): void;
}

export type TransportErrorKind = "connect" | "closed" | "protocol" | "aborted";

/** A request in progress. */
export interface TransportExchange {
  /** Ends the request with onError("aborted") unless it already ended; idempotent. */
  abort(): void;
}

export interface Transport {
  readonly name: string;
  /**
   * Starts the request; returns at once. Aborting `signal` (when given) or the returned exchange ends
   * it with onError("aborted"); a caller that aborts only on its own needs no AbortController.
   */
  send(req: HttpRequest, handler: ResponseHandler, signal?: AbortSignal | null): TransportExchange;
  /** Closes idle connections; in-flight requests are left to finish or be aborted. */
  close(): void;
}
