// Flag definitions: citty's ArgDef shape (so citty renders --help) plus `repeatable`.
// Keys are the kebab-case flag names users type.

export interface FlagSpec {
  type: "string" | "boolean" | "positional";
  description: string;
  alias?: string | string[];
  valueHint?: string;
  default?: string | boolean;
  required?: boolean;
  /** May be given several times; the parsed value is a string[] in order. */
  repeatable?: boolean;
}

export type FlagsDef = Record<string, FlagSpec>;

export type FlagValue = string | boolean | string[];

export function aliasesOf(spec: FlagSpec): string[] {
  if (spec.alias === undefined) return [];
  return Array.isArray(spec.alias) ? spec.alias : [spec.alias];
}

/** "request-count" -> "requestCount" */
export function camelCase(kebab: string): string {
  return kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** "requestCount" -> "request-count" */
export function kebabCase(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
