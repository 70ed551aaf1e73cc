// The headers of every request a run sends, the load's and the pre-flight's alike.
import { VERSION } from "../version.ts";

export interface HeaderParams {
  streaming: boolean;
  /** -H headers and authorization from --api-key (lower-case names). */
  configured: Record<string, string>;
  /** Basic auth made from the URL's user:password@, or null. */
  urlAuthorization: string | null;
  requestId: string;
  /** The session's correlation id and the header that carries it (AIPerf: X-Correlation-ID, or --session-header). */
  correlation?: { header: string; id: string };
}

export function requestHeaders(p: HeaderParams): Record<string, string> {
  // URL credentials go out as Basic auth unless an Authorization header was given explicitly.
  const basic = p.urlAuthorization !== null && p.configured.authorization === undefined ? { authorization: p.urlAuthorization } : null;
  return {
    "user-agent": `llmbench/${VERSION}`,
    "content-type": "application/json",
    accept: p.streaming ? "text/event-stream" : "application/json",
    ...basic,
    ...p.configured,
    "x-request-id": p.requestId,
    ...(p.correlation === undefined ? null : { [p.correlation.header.toLowerCase()]: p.correlation.id }),
  };
}
