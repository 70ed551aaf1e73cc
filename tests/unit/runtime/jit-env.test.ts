// Which commands restart with the load's JavaScriptCore settings, and with what argv and environment.
import { describe, expect, test } from "bun:test";
import { LOAD_SETTINGS, loadReexec, loadSettingsLine } from "../../../src/runtime/jit-env.ts";

const BIN = "/opt/llmbench";
const BUN = "/usr/local/bin/bun";
const FTL = "BUN_JSC_useFTLJIT";
const WARM = "BUN_JSC_useWarmUpMarkedBlocks";
const BOTH_OFF = { [FTL]: "0", [WARM]: "0" };

describe("loadReexec", () => {
  const compiled = (args: string[], env: Record<string, string | undefined> = { HOME: "/h" }, platform: NodeJS.Platform = "linux") =>
    loadReexec({ argv: [BIN, "/$bunfs/root/llmbench", ...args], env, platform, execPath: BIN, compiled: true });

  test("the settings are the FTL tier and the block warm-up thread, both off", () => {
    expect(LOAD_SETTINGS.map((s) => [s.variable, s.value])).toEqual([
      [FTL, "0"],
      [WARM, "0"],
    ]);
  });

  test("a compiled profile or demo restarts as itself with the variables set; the binary puts its script back itself", () => {
    for (const args of [["profile", "-u", "http://h:1", "-m", "m"], ["demo"]]) {
      const plan = compiled(args);
      expect(plan).not.toBeNull();
      expect(plan!.file).toBe(BIN);
      expect(plan!.args).toEqual([BIN, ...args]);
      expect(plan!.env).toEqual({ HOME: "/h", ...BOTH_OFF });
    }
  });

  test("from source, the runtime runs the same script again", () => {
    const plan = loadReexec({ argv: [BUN, "/src/main.ts", "profile", "-x"], env: {}, platform: "linux", execPath: BUN, compiled: false });
    expect(plan).toEqual({ file: BUN, args: [BUN, "/src/main.ts", "profile", "-x"], env: BOTH_OFF });
  });

  // A value the user set is kept; the others are still set (one restart, then nothing is unset).
  const kept: [string, Record<string, string>, Record<string, string>][] = [
    ["the FTL tier kept on", { [FTL]: "1" }, { [FTL]: "1", [WARM]: "0" }],
    ["the warm-up thread kept on", { [WARM]: "1" }, { [FTL]: "0", [WARM]: "1" }],
    ["an explicit off", { [WARM]: "false" }, { [FTL]: "0", [WARM]: "false" }],
  ];
  for (const [what, env, want] of kept) test(`restart, user's value kept: ${what}`, () => expect(compiled(["profile"], env)!.env).toEqual(want));

  const cases: [string, ReturnType<typeof compiled>][] = [
    ["other commands", compiled(["query", "run1", "select 1"])],
    ["the mock", compiled(["mock", "--port", "0"])],
    ["no command", compiled([])],
    ["help", compiled(["profile", "--help"])],
    ["-h", compiled(["demo", "-h"])],
    ["every variable set already (by us after the restart, or by the user)", compiled(["profile"], { [FTL]: "1", [WARM]: "0" })],
    ["Windows", compiled(["profile"], {}, "win32")],
  ];
  for (const [what, plan] of cases) test(`no restart: ${what}`, () => expect(plan).toBeNull());

  test("variables without a value are left out, the rest passed on as they are", () => {
    expect(compiled(["profile"], { A: "1", B: undefined, OPENAI_API_KEY: "sk-x" })!.env).toEqual({ A: "1", OPENAI_API_KEY: "sk-x", ...BOTH_OFF });
  });
});

describe("loadSettingsLine", () => {
  const table: [Record<string, string>, string][] = [
    [{}, "JavaScriptCore's FTL tier on, heap block warm-up thread on"],
    [BOTH_OFF, `JavaScriptCore's FTL tier off (${FTL}=0), heap block warm-up thread off (${WARM}=0)`],
    [{ [FTL]: "false", [WARM]: "1" }, `JavaScriptCore's FTL tier off (${FTL}=false), heap block warm-up thread on (${WARM}=1)`],
    [{ [FTL]: "1" }, `JavaScriptCore's FTL tier on (${FTL}=1), heap block warm-up thread on`],
  ];
  for (const [env, line] of table) test(`says each setting and why: ${JSON.stringify(env)}`, () => expect(loadSettingsLine(env)).toBe(line));
});
