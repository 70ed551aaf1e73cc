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
