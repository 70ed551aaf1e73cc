// JSON text as AIPerf's Python writers produce it. JS has one number type, Python two: a float that
// happens to be integral prints as `200.0`, an int as `200`. Values wrapped with pyFloat() print as
// Python floats; plain JS numbers print as ints when integral, else as floats.
// Float text (verified against pydantic 2.13 and orjson 3.8): shortest round-trip digits like JS, but
// plain notation only for decimal exponents -5..15 (`0.00001`, `9999999999999998.0`), else exponent
// notation (`1e-7`, and `1e+16` from pydantic vs `1e16` from orjson). inf/nan become null.

export class PyFloat {
  constructor(readonly value: number) {}
}

export const pyFloat = (v: number): PyFloat => new PyFloat(v);

export type PyJsonValue = null | boolean | string | number | PyFloat | readonly PyJsonValue[] | { readonly [key: string]: PyJsonValue | undefined };

/** pydantic's model_dump_json (summary JSON) vs orjson (profile_export.jsonl, inputs.json). */
export type FloatStyle = "pydantic" | "orjson";

export function formatPyFloat(v: number, style: FloatStyle): string {
  if (!Number.isFinite(v)) return "null";
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(v);
  // Fast path: where both languages print plain notation (JS for 1e-6 <= |v| < 1e21, Python for decimal
  // exponents -5..15), the shortest round-trip digits are the same; Python only adds ".0" to integers.
  if (abs >= 1e-5 && abs < 1e16) {
    // Plain notation in this range: a fraction always prints its ".", an integer never does.
    return Number.isInteger(v) ? `${v}.0` : String(v);
  }
  const sign = v < 0 ? "-" : "";
  const [mantissa, expText] = abs.toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const exp = Number(expText);
  if (exp < -5 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = exp < 0 ? `-${-exp}` : style === "pydantic" ? `+${exp}` : `${exp}`;
    return `${sign}${m}e${e}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac || "0"}`;
}

/**
 * A Python int's JSON text: every digit of the exact value, never exponent notation. Above 2^53 this is
 * the double's exact integer (1760000000123456768), not JS's shortest form (1760000000123456800), so a
 * Python reader gets the same integer llmbench computed with.
 */
export function formatPyInt(v: number): string {
  if (Object.is(v, -0)) return "0";
  return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
}

/** A plain JS number as Python would print what it stands for: an int when integral, else a float. */
export function formatPyNumber(v: number, style: FloatStyle): string {
  return Number.isInteger(v) ? formatPyInt(v) : formatPyFloat(v, style);
}

/** A scalar's JSON text as the writers print it: null, a boolean, a string, or a number as formatPyNumber prints it. */
export function pyScalar(v: null | boolean | string | number, style: FloatStyle): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  return typeof v === "string" ? JSON.stringify(v) : formatPyNumber(v, style);
}

export interface DumpOptions {
  style: FloatStyle;
  /** Spaces per level (both writers use 2); omitted = compact, no spaces at all. */
  indent?: number;
}

/** Serializes like Python's JSON writers; object keys whose value is undefined are left out. */
export function dumpPyJson(value: PyJsonValue, opts: DumpOptions): string {
  return new PyJsonWriter(opts).write(value, 0);
}

// One string built by concatenation, keys quoted once and cached: this runs for every JSONL record
// (was ~35 us a record with entries/filter/map/join, the largest cost of storing a record).
class PyJsonWriter {
  private readonly indent: number;
  private readonly style: FloatStyle;
  private readonly sep: string;

  constructor(opts: DumpOptions) {
    this.indent = opts.indent ?? 0;
    this.style = opts.style;
    this.sep = this.indent ? ": " : ":";
  }

  write(v: PyJsonValue, depth: number): string {
    if (v === null || typeof v !== "object") return pyScalar(v, this.style);
    if (v instanceof PyFloat) return formatPyFloat(v.value, this.style);
    const pad = this.indent ? `\n${" ".repeat(this.indent * (depth + 1))}` : "";
    const close = this.indent ? `\n${" ".repeat(this.indent * depth)}` : "";
    if (Array.isArray(v)) {
      const items = v as readonly PyJsonValue[];
      if (items.length === 0) return "[]";
      let out = "[";
      for (let i = 0; i < items.length; i++) out += (i > 0 ? "," : "") + pad + this.write(items[i]!, depth + 1);
      return `${out}${close}]`;
    }
    const obj = v as { readonly [key: string]: PyJsonValue | undefined };
    let out = "{";
    let first = true;
    for (const k in obj) {
      const x = obj[k];
      if (x === undefined) continue;
      out += (first ? "" : ",") + pad + quoteKey(k) + this.sep + this.write(x, depth + 1);
      first = false;
    }
    return first ? "{}" : `${out}${close}}`;
  }
}

const quotedKeys = new Map<string, string>();
const MAX_QUOTED_KEYS = 4096;

function quoteKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (quotedKeys.size < MAX_QUOTED_KEYS) quotedKeys.set(k, q);
  }
  return q;
}
