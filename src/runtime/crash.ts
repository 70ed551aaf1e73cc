// An error nothing else caught (a timer's callback, a stray promise) ends the process with one line
// on stderr and exit 1. Bun's default report prints the failing line of the bundled source, which in
// the compiled binary can be a hundred kilobytes of minified code; the stack only with LLMBENCH_DEBUG=1.
import { EXIT_FAILURE } from "./usage-error.ts";

/** The one line printed for an unexpected error. */
export function crashLine(e: unknown): string {
  const msg = e instanceof Error ? `${e.name === "Error" ? "" : `${e.name}: `}${e.message}` : String(e);
  const first = msg.split("\n")[0] ?? "";
  return `llmbench: unexpected error: ${first.length > 500 ? `${first.slice(0, 500)}...` : first}`;
}

export function installCrashHandlers(env: Record<string, string | undefined>, exit: (code: number) => void = (c) => process.exit(c)): void {
  const onCrash = (e: unknown): void => {
    process.stderr.write(`${crashLine(e)}\n`);
    if (env.LLMBENCH_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    exit(EXIT_FAILURE);
  };
  process.on("uncaughtException", onCrash);
  process.on("unhandledRejection", onCrash);
}
