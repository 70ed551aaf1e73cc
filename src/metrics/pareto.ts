// The trade-off a sweep draws: output tokens/s per GPU (what the operator pays for) against tokens/s
// per user (what each user sees). A point is Pareto-optimal when no other point is at least as good on
// both and better on one. The knee is the Pareto point where load stops paying: the one with the
// largest sum of both measures, each as a fraction of its best value in the sweep. Up to it, more load
// adds relatively more throughput than per-user speed it costs; past it, the reverse.

export interface TradeoffPoint {
  /** Output tokens/s per GPU (or in total: the knee does not depend on the GPU count). */
  perGpu: number | null;
  /** Output tokens/s per user. */
  perUser: number | null;
}

export interface ParetoResult {
  /** Per input point; false for a point without both values. */
  optimal: boolean[];
  /** Index of the knee, or null when no point has both values. */
  knee: number | null;
}

const usable = (p: TradeoffPoint): p is { perGpu: number; perUser: number } =>
  p.perGpu !== null && p.perUser !== null && Number.isFinite(p.perGpu) && Number.isFinite(p.perUser);

export function pareto(points: readonly TradeoffPoint[]): ParetoResult {
  const dominates = (a: { perGpu: number; perUser: number }, b: { perGpu: number; perUser: number }): boolean =>
    a.perGpu >= b.perGpu && a.perUser >= b.perUser && (a.perGpu > b.perGpu || a.perUser > b.perUser);
  const optimal = points.map((p, i) => usable(p) && !points.some((q, j) => j !== i && usable(q) && dominates(q, p)));
  const front = points.flatMap((p, i) => (optimal[i] && usable(p) ? [{ i, p }] : []));
  if (front.length === 0) return { optimal, knee: null };
  const maxGpu = Math.max(...front.map((f) => f.p.perGpu));
  const maxUser = Math.max(...front.map((f) => f.p.perUser));
  const score = (p: { perGpu: number; perUser: number }): number => (maxGpu > 0 ? p.perGpu / maxGpu : 0) + (maxUser > 0 ? p.perUser / maxUser : 0);
  let knee = front[0]!;
  for (const f of front) if (score(f.p) > score(knee.p) || (score(f.p) === score(knee.p) && f.p.perGpu > knee.p.perGpu)) knee = f;
  return { optimal, knee: knee.i };
}
