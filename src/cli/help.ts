// --help, rendered from the flag spec: flags left-aligned in sections (the spec's groups), every
// spelling typeable as shown (two dashes, one letter with one), one style for defaults, descriptions
// wrapped to the terminal width (COLUMNS, else the terminal's, else 80), examples last. Plain text:
// no colour codes, so pipes and logs get what the terminal shows.
import type { Command } from "./command.ts";
import { aliasesOf, type FlagSpec, type FlagsDef } from "../config/flag-spec.ts";
import { VERSION } from "../version.ts";

const DEFAULT_WIDTH = 80;
const MIN_WIDTH = 40;
/** Where descriptions start; a longer flag column puts its description on the next line. */
const DESC_COL = 32;
const INDENT = 2;

/** The width to wrap to: COLUMNS when set (as most CLIs honour it), else the terminal's, else 80. */
export function helpWidth(env: Record<string, string | undefined>, terminalColumns?: number): number {
  const fromEnv = Number(env.COLUMNS);
  const w = Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : (terminalColumns ?? DEFAULT_WIDTH);
  return Math.max(MIN_WIDTH, Math.floor(w));
}

/** Greedy word wrap to `width` columns; a word longer than the width is broken (never overflows). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (let word of text.split(/[ \t\n]+/).filter(Boolean)) {
    while (word.length > width) {
      if (line) lines.push(line);
      lines.push(word.slice(0, width));
      word = word.slice(width);
      line = "";
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return (lines.length > 0 ? lines : [""]).map((l) => l.replaceAll(NBSP, " "));
}

/** Joins words that should not be split over two lines ("[default: 550]"). */
const NBSP = "\u00a0";
const keep = (s: string): string => s.replaceAll(" ", NBSP);

/** "-m, --model <name>": the short alias first, then the name; long aliases go in the description. */
function flagLabel(name: string, spec: FlagSpec): string {
  if (spec.type === "positional") return `<${name.toUpperCase()}>${spec.repeatable ? "..." : ""}`;
  const short = aliasesOf(spec).filter((a) => a.length === 1);
  const value = spec.type === "boolean" ? "" : ` <${spec.valueHint ?? "value"}>`;
  return `${short.map((s) => `-${s}, `).join("")}--${name}${value}`;
}

function flagDescription(spec: FlagSpec): string {
  const parts = [spec.description.replace(/\.$/, "")];
  const longAliases = aliasesOf(spec).filter((a) => a.length > 1);
  if (spec.required) parts.push("(required)");
  if (spec.repeatable && spec.type !== "positional" && !/repeat/i.test(spec.description)) parts.push("(repeatable)");
  if (spec.defaultNote !== undefined) parts.push(spec.defaultNote.length <= 24 ? keep(`[default: ${spec.defaultNote}]`) : `[default: ${spec.defaultNote}]`);
  else if (spec.default !== undefined && spec.default !== false) parts.push(keep(`[default: ${String(spec.default)}]`));
  if (longAliases.length > 0) parts.push(`[also: ${longAliases.map((a) => `--${a}`).join(", ")}]`);
  return parts.join(" ");
}

/** A label and its wrapped description: two columns when the label fits before `col`, else stacked. */
function twoColumns(label: string, description: string, col: number, width: number): string[] {
  const desc = wrap(description, Math.max(20, width - col));
  const pad = " ".repeat(col);
  if (INDENT + label.length + 2 <= col) return [(" ".repeat(INDENT) + label).padEnd(col) + desc[0], ...desc.slice(1).map((l) => pad + l)];
  return [...wrap(label, width - INDENT).map((l) => " ".repeat(INDENT) + l), ...desc.map((l) => pad + l)];
}

function sections(flags: FlagsDef): [string, [string, FlagSpec][]][] {
  const out = new Map<string, [string, FlagSpec][]>();
  for (const [name, spec] of Object.entries(flags)) {
    if (spec.hidden) continue;
    const group = spec.type === "positional" ? "Arguments" : (spec.group ?? "Options");
    out.set(group, [...(out.get(group) ?? []), [name, spec]]);
  }
  return [...out];
}

function examplesBlock(examples: readonly string[], width: number): string[] {
  if (examples.length === 0) return [];
  const lines = ["Examples:"];
  for (const e of examples) lines.push(...wrap(e, width - INDENT - 2).map((l, i) => `${" ".repeat(INDENT)}${i === 0 ? "" : "  "}${l}`));
  return ["", ...lines];
}

export function commandHelp(cmd: Command, width: number): string {
  const positionals = Object.entries(cmd.flags).filter(([, s]) => s.type === "positional");
  const usage = `Usage: llmbench ${cmd.name} ${positionals.map(([n, s]) => `<${n.toUpperCase()}>${s.repeatable ? "..." : ""}`).join(" ")}${positionals.length ? " " : ""}[options]`;
  const lines = [...wrap(cmd.description, width), "", ...wrap(usage, width)];
  for (const [group, flags] of sections(cmd.flags)) {
    lines.push("", `${group}:`);
    for (const [name, spec] of flags) lines.push(...twoColumns(flagLabel(name, spec), flagDescription(spec), DESC_COL, width));
  }
  lines.push("", ...twoColumns("-h, --help", "Show this help", DESC_COL, width));
  lines.push(...examplesBlock(cmd.examples, width));
  return `${lines.join("\n")}\n`;
}

export function rootHelp(commands: readonly Command[], examples: readonly string[], width: number): string {
  const lines = [`llmbench ${VERSION}: benchmark OpenAI-compatible LLM inference servers`, "", "Usage: llmbench <command> [options]", "", "Commands:"];
  const col = INDENT + "-V, --version".length + 3;
  for (const c of commands) lines.push(...twoColumns(c.name, c.description, col, width));
  lines.push("", ...twoColumns("-h, --help", "Show help (llmbench <command> --help for a command's options)", col, width));
  lines.push(...twoColumns("-V, --version", "Show the version", col, width));
  lines.push(...examplesBlock(examples, width));
  return `${lines.join("\n")}\n`;
}
