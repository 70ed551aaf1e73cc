// An error nothing else caught is one short line (never the bundle's source), the stack only on request.
import { expect, test } from "bun:test";
import { join } from "node:path";
import { crashLine } from "../../../src/runtime/crash.ts";

test.each([
  [new Error("disk gone"), "llmbench: unexpected error: disk gone"],
  [new TypeError("x is not a function"), "llmbench: unexpected error: TypeError: x is not a function"],
  [new Error("first line\n    at some.js:1:2\nsecond"), "llmbench: unexpected error: first line"],
  ["a string", "llmbench: unexpected error: a string"],
])("crashLine(%p)", (e, want) => {
  expect(crashLine(e)).toBe(want);
});

test("a very long message is cut", () => {
  const line = crashLine(new Error("x".repeat(5000)));
  expect(line.length).toBeLessThan(600);
  expect(line.endsWith("...")).toBe(true);
});

const ROOT = join(import.meta.dir, "../../..");
const script = (debug: boolean) =>
  `import { installCrashHandlers } from ${JSON.stringify(join(ROOT, "src/runtime/crash.ts"))};
   installCrashHandlers(${debug ? '{ LLMBENCH_DEBUG: "1" }' : "{}"});
   setTimeout(() => { throw new Error("boom in a timer"); }, 1);`;

test.each([false, true])("an uncaught throw in a timer: exit 1, one line (stack with LLMBENCH_DEBUG: %p)", (debug) => {
  const p = Bun.spawnSync([process.execPath, "-e", script(debug)], { stderr: "pipe" });
  const err = p.stderr.toString();
  expect(p.exitCode).toBe(1);
  const lines = err.trim().split("\n");
  expect(lines[0]).toBe("llmbench: unexpected error: boom in a timer");
  expect(lines.length > 1).toBe(debug); // the stack follows only with LLMBENCH_DEBUG
});
