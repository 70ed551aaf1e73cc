// Metric units with AIPerf's tags and its exact conversion arithmetic.
// AIPerf converts time as `value * (to.per_second / from.per_second)`: ns -> ms is `ns * 1e-6`, never
// `ns / 1e6` (the two differ in the last bit, and AIPerf's exports show the multiplied value).

export type TimeUnit = "ns" | "us" | "ms" | "sec";
export type Unit = TimeUnit | SizeUnit | "tokens" | "requests" | "count" | "%" | "ratio" | "tokens/sec" | "requests/sec" | "tokens/sec/user";
/** AIPerf's size units: KB is 1024 B. */
export type SizeUnit = "B" | "KB";

const PER_SECOND: Record<TimeUnit, number> = { ns: 1_000_000_000, us: 1_000_000, ms: 1_000, sec: 1 };
const BYTES: Record<SizeUnit, number> = { B: 1, KB: 1024 };

function isTimeUnit(u: Unit): u is TimeUnit {
  return u in PER_SECOND;
}

/** The factor AIPerf multiplies by to go from `from` to `to` (1 when no conversion applies). */
export function conversionFactor(from: Unit, to: Unit): number {
  // Memoized: every stored record converts each of its metrics (a few us a record otherwise).
  let row = factors.get(from);
  if (row === undefined) factors.set(from, (row = new Map()));
  let f = row.get(to);
  if (f === undefined) row.set(to, (f = computeFactor(from, to)));
  return f;
}

const factors = new Map<Unit, Map<Unit, number>>();

function computeFactor(from: Unit, to: Unit): number {
  if (from in BYTES && to in BYTES) return BYTES[from as SizeUnit] / BYTES[to as SizeUnit];
  if (from === to || !isTimeUnit(from) || !isTimeUnit(to)) return 1;
  return PER_SECOND[to] / PER_SECOND[from];
}

/** Converts like AIPerf's `from.convert_to(to, value)`: a no-op when units match, else one multiplication. */
export function convert(value: number, from: Unit, to: Unit): number {
  return from === to ? value : value * conversionFactor(from, to);
}

/** ns -> ms exactly as AIPerf does it (`ns * 1e-06`). */
export const nsToMs = (ns: number): number => convert(ns, "ns", "ms");
/** ns -> s exactly as AIPerf does it (`ns * 1e-09`). */
export const nsToSec = (ns: number): number => convert(ns, "ns", "sec");
