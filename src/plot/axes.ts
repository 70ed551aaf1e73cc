// Axis arithmetic: "nice" tick values (1, 2, 2.5, 5 x 10^k steps) and short tick labels.

export interface Ticks {
  min: number;
  max: number;
  step: number;
  values: number[];
}

/** A step from {1, 2, 2.5, 5} x 10^k near `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const k = 10 ** Math.floor(Math.log10(raw));
  const f = raw / k;
  const m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return m * k;
}

/** About `count` ticks covering [lo, hi], the range widened to whole steps. */
export function niceTicks(lo: number, hi: number, count = 5): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return niceTicks(0, 1, count);
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return niceTicks(lo - pad, hi + pad, count);
  }
  const step = niceStep((hi - lo) / Math.max(1, count));
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  const values: number[] = [];
  for (let v = min; v <= max + step * 1e-9; v += step) values.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return { min, max, step, values };
}

/** Decimals that show a step of this size exactly (0.25 -> 2, 5 -> 0). */
function decimalsFor(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  const exp = Math.floor(Math.log10(step) + 1e-9);
  const twoFive = Math.abs(step / 10 ** exp - 2.5) < 1e-6;
  return Math.max(0, -exp + (twoFive ? 1 : 0));
}

/** A tick label: 1,500 -> "1.5k", 2,000,000 -> "2M", 0.25 -> "0.25". */
export function tickLabel(v: number, step: number): string {
  const a = Math.abs(v);
  for (const [div, suffix] of [
    [1e9, "G"],
    [1e6, "M"],
    [1e3, "k"],
  ] as const) {
    if (a >= div && step >= div / 100) return `${trim((v / div).toFixed(Math.max(0, decimalsFor(step / div))))}${suffix}`;
  }
  return trim(v.toFixed(decimalsFor(step)));
}

const trim = (s: string): string => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);

/** A value for text (legends, tooltips): 3 significant digits, thousands as k/M. */
export function shortNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e6) return `${trim((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${trim((v / 1e3).toPrecision(3))}k`;
  if (a >= 100) return String(Math.round(v));
  if (a === 0) return "0";
  return trim(v.toPrecision(3));
}
