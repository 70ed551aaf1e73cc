// Dispatch: help, version, subcommand; strict flag parsing; usage errors -> one line each, exit 2.
import type { Command } from "./command.ts";
import { commandHelp, helpWidth, rootHelp } from "./help.ts";
import { parseFlags } from "./parse-flags.ts";
import { applyDefaults, camelCase } from "../config/flag-spec.ts";
import { closest } from "../runtime/closest.ts";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from "../runtime/usage-error.ts";
import type { Io } from "../runtime/io.ts";
import { VERSION } from "../version.ts";
import { validateFlags } from "../config/validate.ts";

const ROOT_EXAMPLES = [
  "llmbench demo                                   # benchmark the built-in mock, no server needed",
  "llmbench profile -u http://localhost:8000 -m Qwen/Qwen3-0.6B --concurrency 8 --request-count 100",
  "llmbench mock --port 8000 --ttft-ms 50 --itl-ms 10",
  'llmbench query artifacts/my-run "select quantile_cont(time_to_first_token, 0.75) from requests"',
];

function wantsHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === "--") return false;
    if (a === "--help" || a === "-h") return true;
  }
  return false;
}

export async function runCli(argv: readonly string[], commands: readonly Command[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    io.out(rootHelp(commands, ROOT_EXAMPLES, helpWidth(io.env, io.stdoutColumns)));
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === "--version" || first === "-v" || first === "-V" || first === "version") {
    io.out(`${VERSION}\n`);
    return EXIT_OK;
  }
  const cmd = commands.find((c) => c.name === first);
  if (!cmd) {
    const hint = closest(
      first,
      commands.map((c) => c.name),
    );
    io.err(`llmbench: unknown command "${first}"${hint ? ` (did you mean "${hint}"?)` : ""}; commands: ${commands.map((c) => c.name).join(", ")}\n`);
    return EXIT_USAGE;
  }
  if (wantsHelp(rest)) {
    io.out(commandHelp(cmd, helpWidth(io.env, io.stdoutColumns)));
    return EXIT_OK;
  }
  const parsed = parseFlags(rest, cmd.flags, cmd.foreignFlags);
  for (const note of parsed.notes) io.err(`llmbench ${cmd.name}: ${note}\n`);
  const values = applyDefaults(parsed.values, cmd.flags);
  try {
    return await cmd.run({
      values,
      io,
      given: new Set(Object.keys(parsed.values).map(camelCase)),
      validate: (schema) => validateFlags(schema, values, parsed.problems, cmd.flags),
    });
  } catch (e) {
    if (e instanceof UsageError) {
      for (const p of e.problems) io.err(`llmbench ${cmd.name}: ${p}\n`);
      io.err(`Run "llmbench ${cmd.name} --help" for usage.\n`);
      return EXIT_USAGE;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.err(`llmbench ${cmd.name}: error: ${msg.split("\n")[0]}\n`);
    if (io.env.LLMBENCH_DEBUG && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
    return EXIT_FAILURE;
  }
}
