// The only door to the process: stdout for data, stderr for logs and progress, env, cwd, signals.
// Commands take an Io so tests can capture output without spawning a process.
import { createConsola, type ConsolaInstance } from "consola";

export interface Io {
  /** Data (tables, query results): stdout. */
  out(text: string): void;
  /** Human messages, logs, progress: stderr. */
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  stderrIsTTY: boolean;
  /** stdout is a terminal (then data shown there has its control characters escaped). */
  stdoutIsTTY?: boolean;
  /** The terminal's width when stdout is one (help wraps to it). */
  stdoutColumns?: number;
  /** stderr's file descriptor, when another thread may write it directly (the dashboard thread); absent in tests. */
  stderrFd?: number;
  /** stderr's size now, when it is a terminal (it changes when the window is resized). */
  stderrSize?(): { columns: number; rows: number } | null;
  /** Registers a handler for resizes of stderr's terminal; returns a function that removes it. */
  onResize?(handler: () => void): () => void;
  /** Registers a handler run when the process exits, however it exits; returns a function that removes it. */
  onExit?(handler: () => void): () => void;
  /** Registers a handler for SIGINT/SIGTERM; returns a function that removes it. */
  onSignal(handler: (signal: "SIGINT" | "SIGTERM") => void): () => void;
  /** Ends the process now (a second Ctrl-C). */
  exit(code: number): void;
  /** The process runs this one command (the binary's entry; not a test runner): its threads' scheduling may be changed. */
  ownsProcess?: boolean;
}

export function processIo(): Io {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stderrFd: 2,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stdoutColumns: process.stdout.isTTY ? process.stdout.columns : undefined,
    exit: (code) => process.exit(code),
    ownsProcess: true,
    stderrSize: () => (process.stderr.isTTY && process.stderr.columns > 0 ? { columns: process.stderr.columns, rows: process.stderr.rows } : null),
    onResize(handler) {
      process.stderr.on("resize", handler);
      return () => void process.stderr.off("resize", handler);
    },
    onExit(handler) {
      process.on("exit", handler);
      return () => void process.off("exit", handler);
    },
    onSignal(handler) {
      const onInt = () => handler("SIGINT");
      const onTerm = () => handler("SIGTERM");
      process.on("SIGINT", onInt);
      process.on("SIGTERM", onTerm);
      return () => {
        process.off("SIGINT", onInt);
        process.off("SIGTERM", onTerm);
      };
    },
  };
}

/** consola writing everything to the Io's stderr, so stdout stays clean for data. */
export function createLogger(io: Io, tag = "llmbench", logFile?: { write(line: string): void }): ConsolaInstance {
  const sink = { write: (s: string) => (io.err(s), true) } as unknown as NodeJS.WriteStream;
  // No badges: consola's fancy reporter pads a badged warning or error with blank lines; every
  // message stays one line. (`badge` is read by the reporter but missing from consola's input type.)
  const lineDefaults = { tag, badge: false };
  const log = createConsola({
    defaults: lineDefaults,
    stdout: sink,
    stderr: sink,
    level: io.env.LLMBENCH_LOG_LEVEL === "debug" ? 4 : 3,
    formatOptions: { colors: io.stderrIsTTY && !io.env.NO_COLOR, date: false },
  });
  if (logFile) {
    // The run's log file gets every message with a timestamp, whatever the console shows.
    log.addReporter({
      log: (o) => logFile.write(`${o.date.toISOString()} ${o.type.toUpperCase()} ${o.args.map(String).join(" ")}`),
    });
  }
  return log;
}
