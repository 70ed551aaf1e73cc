// What a request's outcome puts in its record: the errors of an empty answer, a transport failure and
// an HTTP error status (pure functions). The empty record a request starts from is emptyRecord
// (record/request-record.ts).
import type { RecordError } from "../record/request-record.ts";
import type { ChunkInfo } from "./openai-chunk.ts";
import type { TransportErrorKind } from "./transport.ts";

// Server text in errors is kept whole up to this bound: it is cut to one short line only after the
// worker has scrubbed our secrets from it (record/safe-text.ts), so a cut never leaves half a key.
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** A 200 that carried no output (AIPerf: "Invalid inference result", no responses with content). */
export function emptyResponse(what: string): RecordError {
  return { code: 0, type: "empty_response", message: `no content in the response: ${what}` };
}

/** The error an answer's error or malformed payload (openai-chunk.ts) makes, in a stream or a whole body. */
export function answerError(info: Extract<ChunkInfo, { kind: "error" | "malformed" }>): RecordError {
  if (info.kind === "error") return { code: info.code ?? 500, type: info.type ?? "server_error", message: info.message };
  return { code: 0, type: "malformed_response", message: `${info.reason}: ${info.raw.slice(0, MAX_ERROR_BODY_BYTES)}` };
}

export function transportError(kind: TransportErrorKind, message: string, afterHeaders: boolean): RecordError {
  if (kind === "connect") return { code: 0, type: "connection_error", message };
  if (kind === "protocol") return { code: 0, type: "protocol_error", message };
  return { code: 0, type: "connection_error", message: afterHeaders ? `stream broken: ${message}` : message };
}

/** The server's own error message when the body is OpenAI-style JSON, else the body (raw: see safe-text.ts). */
export function httpErrorMessage(status: number, body: string): string {
  try {
    const j = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const m = typeof j.error === "object" ? j.error?.message : (j.error ?? j.message);
    if (typeof m === "string" && m) return `HTTP ${status}: ${m}`;
  } catch {
    // not JSON: fall through
  }
  const trimmed = body.trim();
  return trimmed ? `HTTP ${status}: ${trimmed}` : `HTTP ${status}`;
}
