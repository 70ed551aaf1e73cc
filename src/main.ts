#!/usr/bin/env bun
import { runCli } from "./cli/run-cli.ts";
import { COMMANDS } from "./cli/commands.ts";
import { processIo } from "./runtime/io.ts";
import { installCrashHandlers } from "./runtime/crash.ts";

installCrashHandlers(process.env);
const code = await runCli(process.argv.slice(2), COMMANDS, processIo());
process.exit(code);
