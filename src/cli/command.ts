// A subcommand: its flags (the spec --help is rendered from), examples for --help, and a run function that
// validates its own flag values (throwing UsageError with every problem) and returns an exit code.
import type { type } from "arktype";
import type { FlagsDef, FlagValue, ForeignFlags } from "../config/flag-spec.ts";
import type { Io } from "../runtime/io.ts";

export interface CommandInput {
  /** Parsed flag values (kebab-case keys), defaults filled in. */
  values: Record<string, FlagValue>;
  /** camelCase names of the flags given on the command line (the others hold their defaults). */
  given: ReadonlySet<string>;
  /**
   * Validates the values with an arktype schema (camelCase keys); throws UsageError listing the
   * argv parser's problems and the schema's together.
   */
  validate<T>(schema: (data: unknown) => T | InstanceType<typeof type.errors>): T;
  io: Io;
}

export interface Command {
  name: string;
  description: string;
  flags: FlagsDef;
  /** Another tool's spellings this command refuses with a reason or drops with a note (profile: AIPerf's). */
  foreignFlags?: ForeignFlags;
  examples: string[];
  run(input: CommandInput): Promise<number>;
}
