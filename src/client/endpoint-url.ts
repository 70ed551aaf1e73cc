// Where requests go: the --url (a base URL) plus the endpoint path. People paste the OpenAI SDK's base
// URL (it ends in /v1) or a whole endpoint URL; both are taken back to the base URL with one note, so
// a run does not send everything to /v1/v1/chat/completions.
import { defaultEndpointPath, knownEndpointPaths, type EndpointType } from "./endpoint-types.ts";
import { splitUrlCredentials } from "./url-credentials.ts";

export interface EndpointUrl {
  /** The request URL: base + endpoint path (URL credentials kept: they are split off when sending). */
  url: string;
  /** What was changed in the --url, one line, or null. */
  note: string | null;
  /** Why the --url cannot be used, one line, or null. */
  problem: string | null;
}

/** The endpoint path requests go to: --endpoint, else the endpoint type's; one leading slash. */
export function endpointPath(type: EndpointType, custom: string | undefined, streaming = false): string {
  return `/${(custom ?? defaultEndpointPath(type, streaming)).replace(/^\/+/, "")}`;
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** A URL as it may be printed: no user:password@, no trailing slash. */
function shown(url: string): string {
  return splitUrlCredentials(url).url.replace(/\/+$/, "");
}

function withPath(u: URL, path: string): string {
  const v = new URL(u.href);
  v.pathname = path;
  return v.href.replace(/\/+$/, "");
}

/** The request URL for one --url value (already given a scheme, see config/common-types.ts). */
export function endpointUrl(rawUrl: string, type: EndpointType, custom?: string, streaming = false): EndpointUrl {
  // A type without a path of its own (template) sends to the --url as given.
  if (custom === undefined && defaultEndpointPath(type, streaming) === "") return { url: rawUrl, note: null, problem: null };
  const path = endpointPath(type, custom, streaming);
  const base = rawUrl.replace(/\/+$/, "");
  const asGiven: EndpointUrl = { url: joinUrl(base, path), note: null, problem: null };
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    return asGiven;
  }
  // A query or fragment would follow the path: such a URL is taken as the user wrote it.
  if (u.search !== "" || u.hash !== "") return asGiven;
  const given = u.pathname.replace(/\/+$/, "");
  const target = custom === undefined ? `--endpoint-type ${type}` : `--endpoint ${path}`;
  if (path !== "/" && given.endsWith(path)) {
    const fixed = withPath(u, given.slice(0, -path.length));
    return {
      url: joinUrl(fixed, path),
      note: `--url ${shown(rawUrl)} is the whole endpoint URL: using ${shown(fixed)} as the base URL (${target} adds ${path})`,
      problem: null,
    };
  }
  for (const [otherType, otherPath] of knownEndpointPaths()) {
    if (otherPath === path || !given.endsWith(otherPath)) continue;
    if (otherType === type && custom === undefined) {
      // TGI's other path (/generate vs /generate_stream): the same API, so take the base URL.
      const fixed = withPath(u, given.slice(0, -otherPath.length));
      return {
        url: joinUrl(fixed, path),
        note: `--url ${shown(rawUrl)} is the whole endpoint URL: using ${shown(fixed)} as the base URL (${target} adds ${path})`,
        problem: null,
      };
    }
    const fixed = shown(withPath(u, given.slice(0, -otherPath.length)));
    return {
      ...asGiven,
      problem: `--url ${shown(rawUrl)} is the ${otherType} endpoint, but ${target} sends to ${path}: give the base URL ${fixed} (and --endpoint-type ${otherType} to benchmark that endpoint)`,
    };
  }
  if (path.startsWith("/v1/") && given.endsWith("/v1")) {
    const fixed = withPath(u, given.slice(0, -"/v1".length));
    return {
      url: joinUrl(fixed, path),
      note: `--url ${shown(rawUrl)} ends in /v1 (an OpenAI SDK base URL): using ${shown(fixed)} as the base URL, requests go to ${shown(fixed)}${path}`,
      problem: null,
    };
  }
  return asGiven;
}

/** GET /v1/models of the server a request URL (from endpointUrl) points at. */
export function modelsUrl(requestUrl: string, type: EndpointType, custom?: string, streaming = false): string {
  const path = endpointPath(type, custom, streaming);
  const base = requestUrl.endsWith(path) ? requestUrl.slice(0, -path.length) : requestUrl;
  return joinUrl(base, "/v1/models");
}
