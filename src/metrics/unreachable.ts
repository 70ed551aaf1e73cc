// When the server could not be reached: connection-level failures (refused, reset, or timed out before
// any response byte) grouped into windows per URL, from the first failed attempt until the server
// answered again. Fed records in arrival order; pure (no clock, no output).
import type { RequestRecord } from "../record/request-record.ts";

export type AttemptRecord = Pick<RequestRecord, "url" | "start_ns" | "ack_ns" | "end_ns" | "cancelled" | "error">;

/**
 * A failure before the server sent a byte: the connection was refused or reset, or nothing came back
 * in time. HTTP errors, broken streams (after the headers) and client cancels are not.
 */
export function isConnectionFailure(r: Pick<RequestRecord, "ack_ns" | "cancelled" | "error">): boolean {
  return r.error !== null && !r.cancelled && r.ack_ns === 0 && (r.error.type === "connection_error" || r.error.type === "timeout");
}

export interface UnreachableWindow {
  url: string;
  /** Start of the first failed attempt, epoch ns. */
  startNs: number;
  /** When the server answered again (its response headers), or the end of the last failed attempt if it never did. */
  endNs: number;
  durationNs: number;
  /** Failed attempts in the window. */
  attempts: number;
  /** False when the records ended with the server still unreachable. */
  recovered: boolean;
}

interface Open {
  startNs: number;
  lastFailEndNs: number;
  attempts: number;
}

export class UnreachableTracker {
  private readonly open = new Map<string, Open>();
  private readonly closed: UnreachableWindow[] = [];

  /** Feeds one finished request; returns the window it closes (the server answered again), if any. */
  add(r: AttemptRecord): UnreachableWindow | null {
    const w = this.open.get(r.url);
    if (isConnectionFailure(r)) {
      if (w === undefined) this.open.set(r.url, { startNs: r.start_ns, lastFailEndNs: r.end_ns, attempts: 1 });
      else {
        w.attempts++;
        w.startNs = Math.min(w.startNs, r.start_ns);
        w.lastFailEndNs = Math.max(w.lastFailEndNs, r.end_ns);
      }
      return null;
    }
    // Only a response that came after the outage began ends it: a long stream whose headers arrived
    // before the first failure says nothing about the server since.
    if (w === undefined || r.ack_ns === 0 || r.ack_ns <= w.startNs) return null;
    this.open.delete(r.url);
    const done = toWindow(r.url, w, r.ack_ns, true);
    this.closed.push(done);
    return done;
  }

  /** Every window so far, by start; those still open end at their last failed attempt (recovered: false). */
  windows(): UnreachableWindow[] {
    const still = [...this.open].map(([url, w]) => toWindow(url, w, w.lastFailEndNs, false));
    return [...this.closed, ...still].sort((a, b) => a.startNs - b.startNs || a.url.localeCompare(b.url));
  }
}

function toWindow(url: string, w: Open, endNs: number, recovered: boolean): UnreachableWindow {
  const end = Math.max(endNs, w.startNs);
  return { url, startNs: w.startNs, endNs: end, durationNs: end - w.startNs, attempts: w.attempts, recovered };
}

/** The windows of a whole run's records (in arrival order). */
export function unreachableWindows(records: Iterable<AttemptRecord>): UnreachableWindow[] {
  const t = new UnreachableTracker();
  for (const r of records) t.add(r);
  return t.windows();
}

/** Local wall-clock time of an epoch-ns instant, HH:MM:SS. */
function localClock(ns: number): string {
  const d = new Date(Math.floor(ns / 1e6));
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((v) => String(v).padStart(2, "0")).join(":");
}

/** "server unreachable for 2.1 s from 12:00:03 (123 attempts)", naming the URL when the run has several. */
export function describeUnreachable(w: UnreachableWindow, opts: { withUrl?: boolean; clock?: (ns: number) => string } = {}): string {
  const clock = opts.clock ?? localClock;
  const who = opts.withUrl ? `server ${w.url}` : "server";
  const attempts = `${w.attempts} attempt${w.attempts === 1 ? "" : "s"}`;
  const tail = w.recovered ? "" : ", still unreachable at the end";
  return `${who} unreachable for ${(w.durationNs / 1e9).toFixed(1)} s from ${clock(w.startNs)} (${attempts}${tail})`;
}
