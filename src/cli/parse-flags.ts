// Strict argv parser: unknown flags are problems, repeated ones kept in order (the usual parsers ignore the first and keep the last).
// Pure: returns values and every problem found, never throws, never exits.
import { aliasesOf, type FlagsDef, type FlagValue, type ForeignFlags } from "../config/flag-spec.ts";
import { closest } from "../runtime/closest.ts";

export interface ParsedFlags {
  /** Keyed by the flag's kebab-case name; positionals by their def name. */
  values: Record<string, FlagValue>;
  problems: string[];
  /** Notes about flags accepted and dropped (a foreign tool's cosmetic flags), each once. */
  notes: string[];
}

const TRUE_WORDS = new Set(["true", "1", "yes", "on"]);
const FALSE_WORDS = new Set(["false", "0", "no", "off"]);

/** `foreign`: spellings the table lacks but knows of (AIPerf's), refused with their reason or dropped with a note. */
export function parseFlags(argv: readonly string[], def: FlagsDef, foreign?: ForeignFlags): ParsedFlags {
  const values: Record<string, FlagValue> = {};
  const problems: string[] = [];
  const notes: string[] = [];
  const byName = new Map<string, string>(); // any spelling -> canonical name
  const positionalNames: string[] = [];
  for (const [name, spec] of Object.entries(def)) {
    if (spec.type === "positional") {
      positionalNames.push(name);
      continue;
    }
    byName.set(name, name);
    for (const a of aliasesOf(spec)) byName.set(a, name);
  }
  const positionals: string[] = [];
  const seen = new Set<string>();
  /** A value, not a flag ("-" and negative numbers are values). */
  const isWord = (w: string | undefined): w is string => w !== undefined && (!w.startsWith("-") || w === "-" || /^-\d/.test(w));

  const assign = (name: string, raw: string | boolean, shown: string): void => {
    const spec = def[name]!;
    if (spec.repeatable) {
      const prev = values[name];
      values[name] = [...(Array.isArray(prev) ? prev : []), String(raw)];
      return;
    }
    if (seen.has(name)) problems.push(`${shown} was given more than once`);
    seen.add(name);
    values[name] = raw;
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-" || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith("--");
    const body = arg.slice(long ? 2 : 1);
    const eq = body.indexOf("=");
    let key = eq >= 0 ? body.slice(0, eq) : body;
    const inline = eq >= 0 ? body.slice(eq + 1) : undefined;
    let negated = false;
    if (long && !byName.has(key) && key.startsWith("no-") && byName.has(key.slice(3))) {
      key = key.slice(3);
      negated = true;
    }
    const shown = `${long ? "--" : "-"}${key}`;
    const name = byName.get(key);
    const known = name !== undefined && (long ? key.length > 1 : key.length === 1);
    const other = known ? undefined : foreign?.(arg.split("=")[0]!);
    if (other !== undefined) {
      if (other.refusal !== undefined) problems.push(other.refusal);
      if (other.note !== undefined && !notes.includes(other.note)) notes.push(other.note);
      if (other.value !== "none" && inline === undefined) {
        if (isWord(argv[i + 1])) i++;
        if (other.value === "list") while (isWord(argv[i + 1])) i++;
      }
      continue;
    }
    if (name === undefined || !known) {
      const hint = closest(
        key,
        [...byName.keys()].filter((k) => k.length > 1),
      );
      problems.push(`unknown flag ${arg.split("=")[0]}${hint ? ` (did you mean --${hint}?)` : ""}`);
      // Skip a value that obviously belongs to the unknown flag, so it is not taken as a positional.
      if (inline === undefined && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("-")) i++;
      continue;
    }
    const spec = def[name]!;
    if (spec.type === "boolean") {
      if (negated) {
        if (inline !== undefined) problems.push(`${shown} takes no value`);
        assign(name, false, shown);
      } else if (inline === undefined) {
        assign(name, true, shown);
      } else if (TRUE_WORDS.has(inline.toLowerCase()) || FALSE_WORDS.has(inline.toLowerCase())) {
        assign(name, TRUE_WORDS.has(inline.toLowerCase()), shown);
      } else {
        problems.push(`${shown} must be true or false (was "${inline}")`);
      }
      continue;
    }
    if (negated) {
      problems.push(`unknown flag --no-${key}`);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (!isWord(argv[i + 1])) {
        if (spec.bareValue !== undefined) assign(name, spec.bareValue, shown);
        else problems.push(`${shown} needs a value${spec.valueHint ? ` (${spec.valueHint})` : ""}`);
        continue;
      }
      value = argv[++i]!;
      // AIPerf's list form: a repeatable flag takes the words after it (only where no positional could want them).
      if (spec.repeatable && positionalNames.length === 0) {
        while (isWord(argv[i + 1])) {
          assign(name, value, shown);
          value = argv[++i]!;
        }
      }
    }
    assign(name, value, shown);
  }

  // A repeatable positional takes every argument the positionals after it do not need.
  let next = 0;
  positionalNames.forEach((name, idx) => {
    const after = positionalNames.length - idx - 1;
    if (def[name]!.repeatable) {
      const take = Math.max(0, positionals.length - next - after);
      if (take > 0) values[name] = positionals.slice(next, next + take);
      next += take;
      return;
    }
    const v = positionals[next];
    if (v !== undefined) values[name] = v;
    next++;
  });
  if (positionals.length > next) {
    const extra = positionals.slice(next);
    problems.push(`unexpected argument${extra.length > 1 ? "s" : ""}: ${extra.join(" ")}`);
  }
  // Missing required flags and arguments are reported by each command's schema, with its other problems.
  return { values, problems, notes };
}
