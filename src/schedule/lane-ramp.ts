// --concurrency-ramp-duration: lanes start one by one so concurrency climbs from 1 at t = 0 to the
// target at t = rampNs, instead of hitting the server with every lane at once.

/** Start offset in ns of each lane (0-based): lane k starts at rampNs·k/(concurrency − 1). */
export function laneStartOffsetsNs(concurrency: number, rampNs: number): Float64Array {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a whole number >= 1, got ${concurrency}`);
  if (!(rampNs >= 0) || !Number.isFinite(rampNs)) throw new RangeError(`rampNs must be >= 0, got ${rampNs}`);
  const out = new Float64Array(concurrency);
  if (concurrency === 1 || rampNs === 0) return out;
  // Multiply before dividing so the last lane lands exactly on rampNs.
  for (let k = 1; k < concurrency; k++) out[k] = (rampNs * k) / (concurrency - 1);
  return out;
}
