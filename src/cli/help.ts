// --help text: citty renders the flags table; we add the examples it has no slot for.
import { defineCommand, renderUsage, type ArgsDef } from "citty";
import type { Command } from "./command.ts";
import { VERSION } from "../version.ts";

const ROOT_META = { name: "llmbench", version: VERSION, description: "Benchmark OpenAI-compatible LLM inference servers" };

export async function commandHelp(cmd: Command): Promise<string> {
  const def = defineCommand({
    meta: { name: cmd.name, description: cmd.description },
    args: cmd.flags as ArgsDef,
  });
  const usage = await renderUsage(def, defineCommand({ meta: ROOT_META }));
  return `${usage}\n${examplesBlock(cmd.examples)}`;
}

export async function rootHelp(commands: readonly Command[], examples: string[]): Promise<string> {
  const sub = Object.fromEntries(
    commands.map((c) => [c.name, defineCommand({ meta: { name: c.name, description: c.description } })]),
  );
  const usage = await renderUsage(defineCommand({ meta: ROOT_META, subCommands: sub }));
  return `${usage}\n\n${examplesBlock(examples)}`;
}

function examplesBlock(examples: string[]): string {
  if (examples.length === 0) return "";
  return `EXAMPLES\n\n${examples.map((e) => `  ${e}`).join("\n")}\n`;
}
