// How long a closed-loop lane pauses after its request failed before reaching the server (refused,
// reset, timed out before any byte). Without it a lane retries a down server at once, in a loop: a 2 s
// restart turned a whole --request-count into instant errors, or ~30,000 error records a second under
// --benchmark-duration. The pause doubles while failures go on and is gone once the server answers.
import type { RequestRecord } from "../record/request-record.ts";
import { isConnectionFailure } from "../metrics/unreachable.ts";

export const BACKOFF_FIRST_MS = 10;
export const BACKOFF_MAX_MS = 1000;

/**
 * The pause (ms) before the lane's next request, given the pause so far and the request that just
 * ended: a connection-level failure doubles it (first 10 ms, at most 1 s); any answer from the server,
 * HTTP errors included, clears it; a client cancel leaves it as it was.
 */
export function nextBackoffMs(prevMs: number, r: Pick<RequestRecord, "ack_ns" | "cancelled" | "error">): number {
  if (isConnectionFailure(r)) return prevMs <= 0 ? BACKOFF_FIRST_MS : Math.min(BACKOFF_MAX_MS, prevMs * 2);
  return r.cancelled ? prevMs : 0;
}
