// Bin keys of the binned statistics (store/binned-stats.ts): which narrow value range a value falls in.
// Any key gives exact results (bins whose ranges overlap are merged); a key only decides speed, and
// the "hdr" key makes every bin lie inside one HDR histogram bucket.

/**
 * v rounded to nearest with 53 - 42 = 11 significant bits (Veltkamp's split: t = v * (2^42 + 1),
 * t - (t - v)); monotone in v, three float operations instead of a log2. Exactness never depends
 * on the key (overlapping bins are merged), only speed does.
 */
const SPLIT_FACTOR = 2 ** 42 + 1;
const SPLIT = `${SPLIT_FACTOR}.0`;
export const roundKey = (v: string): string => `((${v} * ${SPLIT}) - ((${v} * ${SPLIT}) - ${v}))`;

/** roundKey in JS: the same three IEEE operations, so the same key for the same double. */
export function roundKeyOf(v: number): number {
  const t = v * SPLIT_FACTOR;
  return t - (t - v);
}

/**
 * Shift of the scaled integer x for "hdr" bins: floor(log2 |x|) - 11, so bins keep x's top 12 bits
 * and span half an HDR sub-bucket (3 significant digits keep 11), even when log2 rounds up near a
 * power of two.
 */
export const hdrShift = (x: string): string => `CASE WHEN ${x} <> 0 THEN greatest(floor(log2(abs(${x}::DOUBLE)))::INTEGER - 11, 0) ELSE 0 END`;

/** Bin key from the scaled integer x and its shift s: x with the low s bits cleared, sign kept. */
export const HDR_KEY = `CASE WHEN x > 0 THEN (x >> s) << s WHEN x < 0 THEN -(((-x) >> s) << s) ELSE 0 END`;
