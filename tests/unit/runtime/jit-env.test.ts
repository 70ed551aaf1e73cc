// Which commands restart with the FTL tier off, and with what argv and environment.
import { describe, expect, test } from "bun:test";
import { FTL_VARIABLE, ftlLine, ftlReexec } from "../../../src/runtime/jit-env.ts";

const BIN = "/opt/llmbench";
const BUN = "/usr/local/bin/bun";

describe("ftlReexec", () => {
  const compiled = (args: string[], env: Record<string, string | undefined> = { HOME: "/h" }, platform: NodeJS.Platform = "linux") =>
    ftlReexec({ argv: [BIN, "/$bunfs/root/llmbench", ...args], env, platform, execPath: BIN, compiled: true });

  test("a compiled profile or demo restarts as itself with the variable set; the binary puts its script back itself", () => {
    for (const args of [["profile", "-u", "http://h:1", "-m", "m"], ["demo"]]) {
      const plan = compiled(args);
      expect(plan).not.toBeNull();
      expect(plan!.file).toBe(BIN);
      expect(plan!.args).toEqual([BIN, ...args]);
      expect(plan!.env).toEqual({ HOME: "/h", [FTL_VARIABLE]: "0" });
    }
  });

  test("from source, the runtime runs the same script again", () => {
    const plan = ftlReexec({ argv: [BUN, "/src/main.ts", "profile", "-x"], env: {}, platform: "linux", execPath: BUN, compiled: false });
    expect(plan).toEqual({ file: BUN, args: [BUN, "/src/main.ts", "profile", "-x"], env: { [FTL_VARIABLE]: "0" } });
  });

  const cases: [string, ReturnType<typeof compiled>][] = [
    ["other commands", compiled(["query", "run1", "select 1"])],
    ["the mock", compiled(["mock", "--port", "0"])],
    ["no command", compiled([])],
    ["help", compiled(["profile", "--help"])],
    ["-h", compiled(["demo", "-h"])],
    ["the variable set already (by us, or by the user to keep the tier)", compiled(["profile"], { [FTL_VARIABLE]: "1" })],
    ["Windows", compiled(["profile"], {}, "win32")],
  ];
  for (const [what, plan] of cases) test(`no restart: ${what}`, () => expect(plan).toBeNull());

  test("variables without a value are left out, the rest passed on as they are", () => {
    expect(compiled(["profile"], { A: "1", B: undefined, OPENAI_API_KEY: "sk-x" })!.env).toEqual({ A: "1", OPENAI_API_KEY: "sk-x", [FTL_VARIABLE]: "0" });
  });
});

describe("ftlLine", () => {
  test("says the tier and why", () => {
    expect(ftlLine({})).toBe("JavaScriptCore's FTL tier on");
    expect(ftlLine({ [FTL_VARIABLE]: "0" })).toBe("JavaScriptCore's FTL tier off (BUN_JSC_useFTLJIT=0)");
    expect(ftlLine({ [FTL_VARIABLE]: "false" })).toBe("JavaScriptCore's FTL tier off (BUN_JSC_useFTLJIT=false)");
    expect(ftlLine({ [FTL_VARIABLE]: "1" })).toBe("JavaScriptCore's FTL tier on (BUN_JSC_useFTLJIT=1)");
  });
});
