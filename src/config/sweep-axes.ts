// Sweeps start from the raw flag values: a sweepable flag given as a comma list ("8,16,32") becomes one
// point per value, several lists combine as a grid (every combination) or zipped (element by element),
// and each point's values then validate through the flag's own schema, so ProfileFlags stays scalar.
import type { type } from "arktype";
import { ark, lazy } from "./ark.ts";
import { camelCase, type FlagSpec, type FlagsDef, type FlagValue, flagsSchema } from "./flag-spec.ts";
import { PROFILE_FLAGS, type ProfileFlags } from "./profile-flags.ts";

/** The flags that take comma lists, in flag-table order (the first varies slowest in a grid). */
export const SWEEP_AXES: readonly string[] = Object.entries(PROFILE_FLAGS as FlagsDef)
  .filter(([, spec]) => spec.sweepable === true)
  .map(([name]) => name);

type SweepableKey = "isl" | "osl" | "numDatasetEntries" | "concurrency" | "requestRate" | "requestCount" | "benchmarkDuration";

/** Profile flags with the sweepable ones still raw (maybe comma lists): what the sweep stage starts from. */
export type SweepLevelFlags = Omit<ProfileFlags, SweepableKey> & Partial<Record<SweepableKey, string>>;

/** The profile flag table with every sweepable flag taking any non-empty string (checked per value later). */
export const sweepLevelSchema = lazy(() => {
  const def: FlagsDef = {};
  const anyText = lazy(() => ark().type("string > 0"));
  for (const [name, spec] of Object.entries(PROFILE_FLAGS as FlagsDef)) def[name] = spec.sweepable ? { ...spec, schema: anyText } : spec;
  return flagsSchema(def) as unknown as (data: unknown) => SweepLevelFlags | InstanceType<typeof type.errors>;
});

const SWEEP_GROUP: readonly string[] = Object.entries(PROFILE_FLAGS as FlagsDef)
  .filter(([, spec]) => spec.group === PROFILE_FLAGS["sweep-type"].group)
  .map(([name]) => camelCase(name));

/** A comma list on a sweepable flag, or any sweep/repeat/search flag given: the sweep stage handles the command. */
export function wantsMultiRun(values: Record<string, FlagValue>, given: ReadonlySet<string>): boolean {
  if (SWEEP_GROUP.some((k) => given.has(k))) return true;
  return SWEEP_AXES.some((name) => typeof values[name] === "string" && (values[name] as string).includes(","));
}

export interface SweepAxis {
  /** Flag name, kebab-case ("request-rate"). */
  flag: string;
  values: string[];
}

export interface SweepPoint {
  /** 0-based, in run order. */
  index: number;
  /** flag -> its raw value at this point (one entry per axis). */
  values: Record<string, string>;
  /** "concurrency=8 isl=128" */
  label: string;
  /** "isl_0128__concurrency_0008": sorts like the values. */
  dirName: string;
}

export interface SweepExpansion {
  axes: SweepAxis[];
  /** One point with no values when nothing is swept. */
  points: SweepPoint[];
  problems: string[];
}

/** "request-rate" -> "request_rate" (directory names and run columns). */
export const axisColumn = (flag: string): string => flag.replace(/-/g, "_");

/** Digits the integer part of an axis' values is padded to, so directory names sort like the numbers. */
function padWidth(values: readonly string[]): number {
  return Math.max(4, ...values.map((v) => String(Math.trunc(Math.abs(Number(v)))).length));
}

/** 8 -> "0008", 2.5 -> "0002.5" (at width 4). */
export function paddedValue(value: string, width: number): string {
  const n = Number(value);
  const whole = String(Math.trunc(n)).padStart(width, "0");
  const text = String(n);
  const dot = text.indexOf(".");
  return dot < 0 ? whole : `${whole}${text.slice(dot)}`;
}

/** The values of a comma list, trimmed; a value that is not a valid value of the flag is a problem. */
function axisValues(flag: string, raw: string, problems: string[]): string[] {
  const values = raw.split(",").map((v) => v.trim());
  const spec = (PROFILE_FLAGS as FlagsDef)[flag] as FlagSpec;
  const check = spec.schema?.();
  for (const v of values) {
    if (v === "") {
      problems.push(`--${flag} ${raw}: empty value in the list`);
      continue;
    }
    const out = check?.(v);
    if (out instanceof ark().type.errors) problems.push(`--${flag} ${raw}: each value ${out.summary}`);
  }
  return values;
}

/** The sweep the raw values ask for: axes in flag-table order, points in run order. */
export function expandSweep(raw: Record<string, FlagValue>, sweepType: "grid" | "zip"): SweepExpansion {
  const problems: string[] = [];
  const axes: SweepAxis[] = [];
  for (const flag of SWEEP_AXES) {
    const v = raw[flag];
    if (typeof v === "string" && v.includes(",")) axes.push({ flag, values: axisValues(flag, v, problems) });
  }
  if (axes.length === 0) return { axes, points: [{ index: 0, values: {}, label: "", dirName: "" }], problems };
  let combos: number[][];
  if (sweepType === "zip") {
    const n = axes[0]!.values.length;
    if (axes.some((a) => a.values.length !== n))
      problems.push(
        `--sweep-type zip pairs the lists element by element; they differ in length: ${axes.map((a) => `--${a.flag} ${a.values.length}`).join(", ")}`,
      );
    combos = Array.from({ length: Math.min(...axes.map((a) => a.values.length)) }, (_, i) => axes.map(() => i));
  } else {
    combos = [[]];
    for (const axis of axes) combos = combos.flatMap((prefix) => axis.values.map((_, i) => [...prefix, i]));
  }
  const widths = axes.map((a) => padWidth(a.values));
  const points = combos.map((combo, index) => {
    const values: Record<string, string> = {};
    for (const [ai, vi] of combo.entries()) values[axes[ai]!.flag] = axes[ai]!.values[vi]!;
    const label = axes.map((a) => `${a.flag}=${values[a.flag]}`).join(" ");
    const dirName = axes.map((a, ai) => `${axisColumn(a.flag)}_${paddedValue(values[a.flag]!, widths[ai]!)}`).join("__");
    return { index, values, label, dirName };
  });
  const seen = new Set<string>();
  for (const p of points) {
    if (seen.has(p.dirName) && problems.length === 0) problems.push(`the sweep holds the point ${p.label} twice; give each value once`);
    seen.add(p.dirName);
  }
  return { axes, points, problems };
}
