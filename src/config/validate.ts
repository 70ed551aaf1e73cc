// Runs an arktype schema over flag values (camelCase keys) and turns every failure into one line
// naming the flag, so the user sees all problems at once.
import type { type } from "arktype";
import { ark } from "./ark.ts";
import { UsageError } from "../runtime/usage-error.ts";
import { camelCase, kebabCase, type FlagsDef, type FlagValue } from "./flag-spec.ts";

type Schema<T> = (data: unknown) => T | InstanceType<typeof type.errors>;

/** Turns parsed flag values (kebab keys) into the object a schema validates (camelCase keys). */
export function toCamelKeys(values: Record<string, FlagValue>): Record<string, FlagValue> {
  const out: Record<string, FlagValue> = {};
  for (const [k, v] of Object.entries(values)) out[camelCase(k)] = v;
  return out;
}

/** Problems as one line each: `--flag must be ... (was ...)`. */
export function schemaProblems(errors: InstanceType<typeof type.errors>, def: FlagsDef = {}): string[] {
  const lines: string[] = [];
  for (const e of errors) {
    const key = e.path.length > 0 ? String(e.path[0]) : "";
    const name = kebabCase(key);
    const flag = !key ? "input" : def[name]?.type === "positional" ? `<${name.toUpperCase()}>` : `--${name}`;
    // A repeatable flag's values are a list; name the flag, not the list index.
    const nested = e.path.length > 1 && !def[name]?.repeatable;
    const where = `${flag}${nested ? `[${e.path.slice(1).join(".")}]` : ""}`;
    if (e.code === "required") {
      lines.push(`${where} is required`);
      continue;
    }
    // arktype's message reads "<path> must be ... (was ...)"; name the flag instead of the key.
    const prefix = e.propString ? `${e.propString} ` : "";
    const body = prefix && e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    lines.push(`${where} ${body}`);
  }
  return lines;
}

/**
 * Validates and converts; `extraProblems` (from the argv parser or cross-field checks) are reported
 * together with the schema's, so one run shows everything wrong.
 */
export function validateFlags<T>(schema: Schema<T>, values: Record<string, FlagValue>, extraProblems: string[] = [], def: FlagsDef = {}): T {
  const out = schema(toCamelKeys(values));
  const problems = [...extraProblems];
  if (out instanceof ark().type.errors) problems.push(...schemaProblems(out, def));
  if (problems.length > 0) throw new UsageError(problems);
  return out as T;
}
