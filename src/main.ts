#!/usr/bin/env bun
// First: it may restart the process before anything else runs (runtime/jit-env.ts).
import "./runtime/load-restart.ts";
import { runCli } from "./cli/run-cli.ts";
import { COMMANDS } from "./cli/commands.ts";
import { processIo } from "./runtime/io.ts";
import { installCrashHandlers } from "./runtime/crash.ts";

installCrashHandlers(process.env);
const code = await runCli(process.argv.slice(2), COMMANDS, processIo());
process.exit(code);
