// An Io that captures output and lets a test raise signals, for running commands in-process.
import type { Io } from "../../src/runtime/io.ts";

export interface FakeIo extends Io {
  stdout: string[];
  stderr: string[];
  /** Codes passed to exit(), which does not end the test process. */
  exits: number[];
  raise(signal: "SIGINT" | "SIGTERM"): void;
}

export function fakeIo(cwd: string, env: Record<string, string | undefined> = {}): FakeIo {
  const handlers = new Set<(s: "SIGINT" | "SIGTERM") => void>();
  const io: FakeIo = {
    stdout: [],
    stderr: [],
    exits: [],
    exit: (code) => void io.exits.push(code),
    out: (t) => void io.stdout.push(t),
    err: (t) => void io.stderr.push(t),
    env,
    cwd,
    stderrIsTTY: false,
    onSignal(h) {
      handlers.add(h);
      return () => void handlers.delete(h);
    },
    raise(s) {
      for (const h of [...handlers]) h(s);
    },
  };
  return io;
}
