// The one declaration of a command's flags: name (the key, kebab-case as users type it), aliases,
// help text and section, default, and the arktype schema that validates and converts the value.
// Parsing, --help, validation and the flag values' TypeScript type all come from it.
import type { Type } from "arktype";
import { ark } from "./ark.ts";

export interface FlagSpec {
  type: "string" | "boolean" | "positional";
  description: string;
  /** Other spellings, without dashes (one letter: `-m`; longer: `--model-names`). */
  alias?: string | readonly string[];
  valueHint?: string;
  /** As typed on the command line: parsed and validated exactly like a user's value. */
  default?: string | boolean;
  /** Help text for a default that depends on other flags (shown where a plain default would be). */
  defaultNote?: string;
  required?: boolean;
  /**
   * May be given several times; the raw value is a string[] in order. In a command without positionals it
   * also takes every word up to the next flag (AIPerf's list form: `--url a b`).
   */
  repeatable?: boolean;
  /** The value of the flag given alone (no word after it): AIPerf's bare `--gpu-telemetry`. */
  bareValue?: string;
  /** --help section (e.g. "Endpoint", "Load"). */
  group?: string;
  /** Validates and converts the raw value (built on first use); absent: a string, boolean or string[] as given. */
  schema?: () => Type;
  /** Accepted but left out of --help (an alias kept for old scripts, say). */
  hidden?: boolean;
  /** Takes a comma list too: one run per value (a sweep; see config/sweep-axes.ts). */
  sweepable?: boolean;
}

export type FlagsDef = Record<string, FlagSpec>;

export type FlagValue = string | boolean | string[];

/** How many words a foreign flag (another tool's, e.g. AIPerf's) takes: none, one, or every word up to the next flag. */
export type ForeignValue = "none" | "one" | "list";

/** A spelling a command's own table lacks but knows of: refused with a reason, or dropped with a note. */
export interface ForeignFlag {
  value: ForeignValue;
  /** The one-line refusal (a usage error). */
  refusal?: string;
  /** Printed once; the flag is dropped. */
  note?: string;
}

/** Looks up a spelling as typed, with its dashes (`--foo`, `-f`), that the command's FlagsDef does not have. */
export type ForeignFlags = (key: string) => ForeignFlag | undefined;

export function aliasesOf(spec: FlagSpec): string[] {
  if (spec.alias === undefined) return [];
  return typeof spec.alias === "string" ? [spec.alias] : [...spec.alias];
}

/** "request-count" -> "requestCount" */
export function camelCase(kebab: string): string {
  return kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** "requestCount" -> "request-count" */
export function kebabCase(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

type Camel<S extends string> = S extends `${infer A}-${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;

type RawValue<F extends FlagSpec> = F["type"] extends "boolean" ? boolean : F["repeatable"] extends true ? string[] : string;
type Parsed<F extends FlagSpec> = F["schema"] extends () => Type<unknown> ? ReturnType<F["schema"]>["infer"] : RawValue<F>;
type Always<F extends FlagSpec> = F["required"] extends true ? true : F["default"] extends string | boolean ? true : false;

/** The validated values of a flag table, camelCase keys; flags with neither default nor `required` are optional. */
export type FlagValues<D extends FlagsDef> = {
  [K in keyof D & string as Always<D[K]> extends true ? Camel<K> : never]: Parsed<D[K]>;
} & {
  [K in keyof D & string as Always<D[K]> extends true ? never : Camel<K>]?: Parsed<D[K]>;
};

/** The arktype object schema of a flag table (camelCase keys), built from each flag's own schema. */
export function flagsSchema<D extends FlagsDef>(def: D): Type<FlagValues<D>> {
  const shape: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(def)) {
    const always = spec.required === true || spec.default !== undefined;
    const raw = spec.type === "boolean" ? "boolean" : spec.repeatable ? "string[]" : "string";
    shape[always ? camelCase(name) : `${camelCase(name)}?`] = spec.schema?.() ?? raw;
  }
  return ark().type(shape as never) as unknown as Type<FlagValues<D>>;
}

/** Fills in each flag's declared default where the user gave none (defaults live in the FlagsDef only). */
export function applyDefaults(values: Record<string, FlagValue>, def: FlagsDef): Record<string, FlagValue> {
  const out = { ...values };
  for (const [name, spec] of Object.entries(def)) {
    if (out[name] === undefined && spec.default !== undefined) {
      out[name] = spec.repeatable ? [String(spec.default)] : spec.default;
    }
  }
  return out;
}
