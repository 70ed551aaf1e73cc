// Python's fixed-point float formatting, as AIPerf's CSV (`f"{v:.2f}"`) and console (`f"{v:,.2f}"`) use it.
// Python rounds the exact binary value, ties to even; JS toFixed also rounds the exact value but sends
// ties away from zero. Only values k/8 (k odd) are exact ties at two decimals (0.125, 0.375, ...):
// 0.125 -> "0.12" in Python, "0.13" from toFixed. 2.675 is below the tie in binary, so both give "2.67".

/** Python `f"{v:.2f}"`. */
export function formatFixed2(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Object.is(v, -0)) return "-0.00";
  // toFixed switches to exponent notation from 1e21; such doubles are integers, so print them exactly.
  if (Math.abs(v) >= 1e21) return `${BigInt(v).toString()}.00`;
  const s = v.toFixed(2);
  const eighths = v * 8; // exact: scaling by a power of two
  const isTie = Number.isInteger(eighths) && Math.abs(eighths % 2) === 1;
  if (!isTie) return s;
  const last = s.charCodeAt(s.length - 1) - 48;
  // toFixed went away from zero; when that digit is odd, the even neighbour is one step toward zero.
  return last % 2 === 1 ? s.slice(0, -1) + String(last - 1) : s;
}

/** Python `f"{v:,.2f}"`: thousands separators in the integer part. */
export function formatGrouped2(v: number): string {
  const s = formatFixed2(v);
  const m = /^(-?)(\d+)(\.\d+)$/.exec(s);
  if (!m) return s; // nan / inf
  return `${m[1]}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${m[3]}`;
}
