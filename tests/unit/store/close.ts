// Relative closeness for sums, means and standard deviations computed in another order than numpy's.
// `mag` is the size of the values summed: a sum or std near 0 of values far from 0 is compared to them.
import { expect } from "bun:test";

export function expectClose(got: number | null, want: number | null, ctx: string, o: { rel?: number; mag?: number } = {}): void {
  if (got === null || want === null || !Number.isFinite(want)) {
    expect([ctx, got]).toEqual([ctx, want]);
    return;
  }
  const tol = (o.rel ?? 1e-9) * Math.max(Math.abs(got), Math.abs(want), o.mag ?? 0);
  if (!(Math.abs(got - want) <= tol)) expect([ctx, got]).toEqual([ctx, want]);
}
