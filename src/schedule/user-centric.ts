// AIPerf's user-centric rate (--user-centric-rate Q --num-users N; aiperf/timing/strategies/
// user_centric_rate.py), for KV-cache studies: N users share the rate Q, so each user waits
// turn_gap = N / Q between its turns, and first sends are staggered 1 / Q apart. The run starts in
// steady state ("virtual history"): the N initial users are spread over the session lifetime
// (average turns - 1 gaps), so some have a few turns left and some many; user 1 is "already done" and
// is replaced at t = 0 by a new user with every turn. Every user, when started, books its replacement
// at start + turns * turn_gap, an open-loop schedule independent of response times.
//
// This module plans the first sends: one entry per user (a session ordinal, in send order) with its
// offset and how many turns it sends. Later turns are paced by the phase runner: turn k is due at
// max(end of turn k-1, due of turn k-1 + turn_gap) (AIPerf's max(now, next_send_time + turn_gap)).

export interface UserCentricOptions {
  /** --user-centric-rate: requests per second over all users, > 0. */
  ratePerSec: number;
  /** --num-users, >= 1. */
  numUsers: number;
  /** The dataset's average turns per session, rounded (AIPerf's session_turns), >= 1. */
  sessionTurns: number;
  /** Turns of the session that user `ordinal` (in send order) replays. */
  turnsOf: (ordinal: number) => number;
  /** Stop after this many users. */
  maxUsers?: number;
  /** Stop before the first user starting at or after this offset. */
  maxOffsetNs?: number;
}

export interface UserCentricPlan {
  /** First-send offset of each user from the phase start, ns, ascending. */
  offsetsNs: Float64Array;
  /** Turns each user sends (its session's first ones). */
  turns: Int32Array;
  turnGapNs: number;
}

const NS_PER_S = 1e9;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The smallest step > 1 coprime with n (so i * step mod n visits every slot), or 1 when n <= 2. */
export function alternateSpacingStep(n: number): number {
  for (let step = 2; step < n; step++) if (gcd(n, step) === 1) return step;
  return 1;
}

/**
 * The initial users of the virtual history: for each, its place in the start order (0 fires first, at
 * order * stagger) and its turn budget; users with nothing left are left out. The new user that
 * replaces the finished one is last, with order 0 and no budget (all its session's turns).
 */
export function initialUsers(numUsers: number, sessionTurns: number): { order: number; turns: number | null }[] {
  const lifetime = Math.max(1, sessionTurns - 1);
  const alternate = gcd(numUsers, lifetime) > 1;
  const step = alternate ? alternateSpacingStep(numUsers) : 1;
  const out: { order: number; turns: number | null }[] = [];
  for (let i = 0; i < numUsers; i++) {
    const virtualAge = (numUsers - i) * lifetime;
    const turns = lifetime - Math.floor(virtualAge / numUsers);
    if (turns <= 0) continue;
    const slot = alternate ? (i * step) % numUsers : virtualAge % numUsers;
    out.push({ order: numUsers - slot, turns });
  }
  out.push({ order: 0, turns: null });
  return out;
}

/** A binary min-heap of (time, seq, budget) start events; seq keeps equal times in booking order. */
class StartHeap {
  private items: { atNs: number; seq: number; turns: number | null }[] = [];
  private seq = 0;
  get size(): number {
    return this.items.length;
  }
  push(atNs: number, turns: number | null): void {
    const a = this.items;
    a.push({ atNs, seq: this.seq++, turns });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): { atNs: number; turns: number | null } {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
  private less(x: { atNs: number; seq: number }, y: { atNs: number; seq: number }): boolean {
    return x.atNs < y.atNs || (x.atNs === y.atNs && x.seq < y.seq);
  }
}

/**
 * Every user's first send and turn count, in send order. Needs maxUsers or maxOffsetNs (else RangeError).
 * A user's turns are its budget capped at its session's length (AIPerf: min(max_turns, conversation
 * turns)); its replacement starts turns * turn_gap after it.
 */
export function userCentricPlan(o: UserCentricOptions): UserCentricPlan {
  if (!(o.ratePerSec > 0) || !Number.isFinite(o.ratePerSec)) throw new RangeError(`ratePerSec must be > 0, got ${o.ratePerSec}`);
  if (!(o.numUsers >= 1) || !Number.isInteger(o.numUsers)) throw new RangeError(`numUsers must be a whole number >= 1, got ${o.numUsers}`);
  if (!(o.sessionTurns >= 1)) throw new RangeError(`sessionTurns must be >= 1, got ${o.sessionTurns}`);
  const maxUsers = o.maxUsers ?? Infinity;
  const maxOffsetNs = o.maxOffsetNs ?? Infinity;
  if (!Number.isFinite(maxUsers) && !Number.isFinite(maxOffsetNs)) throw new RangeError("userCentricPlan needs a finite maxUsers or maxOffsetNs");
  const staggerNs = NS_PER_S / o.ratePerSec;
  const turnGapNs = (o.numUsers * NS_PER_S) / o.ratePerSec;
  const heap = new StartHeap();
  for (const u of initialUsers(o.numUsers, Math.round(o.sessionTurns))) heap.push(u.order * staggerNs, u.turns);
  const offsets: number[] = [];
  const turns: number[] = [];
  while (offsets.length < maxUsers && heap.size > 0) {
    const next = heap.pop();
    if (next.atNs >= maxOffsetNs) break;
    const sessionTurns = Math.max(1, o.turnsOf(offsets.length));
    const n = next.turns === null ? sessionTurns : Math.min(next.turns, sessionTurns);
    offsets.push(next.atNs);
    turns.push(n);
    heap.push(next.atNs + n * turnGapNs, null);
  }
  return { offsetsNs: Float64Array.from(offsets), turns: Int32Array.from(turns), turnGapNs };
}
