// The logger as a user's terminal gets it: consola picks its fancy reporter outside tests and CI, so the
// check runs in a child process without NODE_ENV=test, TEST or CI.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";

const IO = join(import.meta.dir, "..", "..", "..", "src", "runtime", "io.ts");

function logged(level: "info" | "warn" | "error", message: string): string {
  const script = `
    import { createLogger } from ${JSON.stringify(IO)};
    const io = { err: (t) => process.stdout.write(t), out: () => {}, env: {}, stderrIsTTY: false };
    createLogger(io).${level}(${JSON.stringify(message)});
  `;
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/", NO_COLOR: "1" };
  const p = Bun.spawnSync([process.execPath, "-e", script], { env, stdout: "pipe", stderr: "pipe" });
  expect(p.stderr.toString()).toBe("");
  return p.stdout.toString();
}

describe("createLogger", () => {
  test.each(["info", "warn", "error"] as const)("%s: one line, no blank lines around it", (level) => {
    const text = logged(level, "--streaming is off: no TTFT or ITL without --streaming");
    expect(text.split("\n")).toEqual([expect.stringContaining("--streaming is off: no TTFT or ITL without --streaming"), ""]);
    expect(text.startsWith("[llmbench] ")).toBe(true);
  });
});
