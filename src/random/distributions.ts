// Samplers over a seeded uniform source (mulberry32), so every draw is reproducible from --random-seed.
// `Uniform` returns values in [0, 1).
export type Uniform = () => number;

/** Standard normal N(0, 1) by Box-Muller (one of the pair; simple and stateless). */
export function standardNormal(u: Uniform): number {
  // 1 - u() is in (0, 1], so the log is finite.
  const r = Math.sqrt(-2 * Math.log(1 - u()));
  return r * Math.cos(2 * Math.PI * u());
}

/** Exponential with the given rate (mean 1 / rate). */
export function exponential(u: Uniform, rate: number): number {
  return -Math.log(1 - u()) / rate;
}

/**
 * Gamma(shape, scale) by Marsaglia-Tsang; shape < 1 uses the boost x * U^(1/shape).
 * Mean shape * scale, variance shape * scale^2.
 */
export function gamma(u: Uniform, shape: number, scale: number): number {
  if (shape < 1) return gamma(u, shape + 1, scale) * (1 - u()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(u);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const w = 1 - u();
    if (w < 1 - 0.0331 * x * x * x * x || Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/**
 * AIPerf's sample_positive_normal_integer: ceil of a normal draw rejected until it is >= 0, so the
 * result is a positive integer (at least 1 unless the draw is exactly 0). stddev 0 gives ceil(mean).
 */
export function positiveNormalInt(u: Uniform, mean: number, stddev: number): number {
  if (stddev <= 0) return Math.max(1, Math.ceil(mean));
  for (;;) {
    const n = mean + stddev * standardNormal(u);
    if (n >= 0) return Math.max(1, Math.ceil(n));
  }
}
