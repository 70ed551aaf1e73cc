// The console's error summary: failures grouped by code, type and message with the parts that vary
// from request to request (request ids, UUIDs, hex, numbers) masked, so a server that puts an id in
// every message gives one line with a count, not one line per request. The exports keep every message.
import type { ErrorCount } from "../metrics/summary.ts";

/** Groups shown before "N more kinds". */
export const MAX_ERROR_GROUPS = 10;

export interface ErrorGroup {
  code: number;
  type: string;
  /** The message with its ids and numbers masked (the grouping key). */
  pattern: string;
  /** One message of the group as the server sent it (the first seen). */
  example: string;
  count: number;
}

export interface ErrorGroups {
  /** Largest first; ties in order of first appearance. */
  shown: ErrorGroup[];
  /** Groups left out, and the requests in them. */
  moreKinds: number;
  moreRequests: number;
}

const UUID_RE = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HEX_RE = /\b0x[0-9a-f]+\b/gi;
// A word of 6+ letters and digits with both in it: "chatcmpl-9f8e7d6c" keeps "chatcmpl-", loses the id.
const ID_RE = /\b(?=[0-9]*[a-z])(?=[a-z]*\d)[0-9a-z]{6,}\b/gi;
const NUMBER_RE = /\d+(?:\.\d+)?/g;

/** The message with everything that identifies one request masked: UUIDs, hex, id-like words, numbers. */
export function errorPattern(message: string): string {
  return message.replace(UUID_RE, "<uuid>").replace(HEX_RE, "<hex>").replace(ID_RE, "<id>").replace(NUMBER_RE, "<n>");
}

export function groupErrors(errors: readonly ErrorCount[], max = MAX_ERROR_GROUPS): ErrorGroups {
  const groups = new Map<string, ErrorGroup>();
  for (const { error, count } of errors) {
    const pattern = errorPattern(error.message);
    const key = JSON.stringify([error.code, error.type, pattern]);
    const g = groups.get(key);
    if (g) g.count += count;
    else groups.set(key, { code: error.code, type: error.type, pattern, example: error.message, count });
  }
  // Array.prototype.sort is stable: equal counts keep their first-appearance order.
  const all = [...groups.values()].sort((a, b) => b.count - a.count);
  const rest = all.slice(max);
  return { shown: all.slice(0, max), moreKinds: rest.length, moreRequests: rest.reduce((n, g) => n + g.count, 0) };
}
