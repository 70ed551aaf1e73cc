// The headers of every request a run sends, the load's and the pre-flight's alike.
import { VERSION } from "../version.ts";
import type { EndpointType } from "./endpoint-types.ts";

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
  return withRequestIds(baseHeaders(p), p.requestId, p.correlation?.header.toLowerCase() ?? null, p.correlation?.id);
}

const USER_AGENT = `llmbench/${VERSION}`;

/** The headers every request to one URL carries, all but its ids: made once, not per request. */
export function baseHeaders(p: Omit<HeaderParams, "requestId" | "correlation">): Record<string, string> {
  // URL credentials go out as Basic auth unless an Authorization header was given explicitly.
  const basic = p.urlAuthorization !== null && p.configured.authorization === undefined ? { authorization: p.urlAuthorization } : null;
  return {
    "user-agent": USER_AGENT,
    "content-type": "application/json",
    accept: p.streaming ? "text/event-stream" : "application/json",
    ...basic,
    ...p.configured,
  };
}

/** One request's headers: `base` with its x-request-id and, in a session, its correlation header (a lower-case name). */
export function withRequestIds(
  base: Record<string, string>,
  requestId: string,
  correlationHeader: string | null,
  correlationId: string | undefined,
): Record<string, string> {
  const h: Record<string, string> = { ...base, "x-request-id": requestId };
  if (correlationHeader !== null && correlationId !== undefined) h[correlationHeader] = correlationId;
  return h;
}

/** Anthropic's API version header value (the Messages API refuses requests without one). */
export const ANTHROPIC_VERSION = "2023-06-01";

/**
 * The headers --api-key and the endpoint type add to the -H headers (`given`, lower-case names, which
 * win): Authorization: Bearer, or for Anthropic's Messages API x-api-key and anthropic-version.
 */
export function endpointHeaders(endpointType: EndpointType, apiKey: string | undefined, given: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  if (endpointType === "messages") {
    if (apiKey && given["x-api-key"] === undefined) out["x-api-key"] = apiKey;
    if (given["anthropic-version"] === undefined) out["anthropic-version"] = ANTHROPIC_VERSION;
  } else if (apiKey) {
    out.authorization = `Bearer ${apiKey}`;
  }
  return out;
}
