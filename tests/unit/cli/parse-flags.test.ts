import { describe, expect, test } from "bun:test";
import { parseFlags } from "../../../src/cli/parse-flags.ts";
import { applyDefaults } from "../../../src/config/flag-spec.ts";
import type { FlagsDef } from "../../../src/config/flag-spec.ts";

const DEF: FlagsDef = {
  run: { type: "positional", description: "run dir" },
  url: { type: "string", alias: "u", description: "url", repeatable: true },
  model: { type: "string", alias: "m", description: "model" },
  concurrency: { type: "string", description: "n", default: "1" },
  streaming: { type: "boolean", description: "stream", default: true },
};

describe("parseFlags", () => {
  // Every case states both the values and the problems, so no assertion depends on the case.
  const cases: { argv: string[]; values: Record<string, unknown>; problems: string[] }[] = [
    { argv: ["dir", "--model", "x"], values: { run: "dir", model: "x" }, problems: [] },
    { argv: ["dir", "--model=x"], values: { run: "dir", model: "x" }, problems: [] },
    { argv: ["dir", "-m", "x"], values: { run: "dir", model: "x" }, problems: [] },
    { argv: ["dir", "-u", "a", "--url", "b", "--url=c"], values: { run: "dir", url: ["a", "b", "c"] }, problems: [] },
    { argv: ["dir", "--streaming"], values: { run: "dir", streaming: true }, problems: [] },
    { argv: ["dir", "--no-streaming"], values: { run: "dir", streaming: false }, problems: [] },
    { argv: ["dir", "--streaming=false"], values: { run: "dir", streaming: false }, problems: [] },
    { argv: ["dir", "--concurrency", "-5"], values: { run: "dir", concurrency: "-5" }, problems: [] },
    { argv: ["dir", "--", "--model"], values: { run: "dir" }, problems: ["unexpected argument: --model"] },
    { argv: ["dir", "--modle", "x"], values: { run: "dir" }, problems: ["unknown flag --modle (did you mean --model?)"] },
    { argv: ["dir", "--bogus=1", "--zzz"], values: { run: "dir" }, problems: ["unknown flag --bogus", "unknown flag --zzz"] },
    { argv: ["dir", "--model"], values: { run: "dir" }, problems: ["--model needs a value"] },
    { argv: ["dir", "--model", "--streaming"], values: { run: "dir", streaming: true }, problems: ["--model needs a value"] },
    { argv: ["dir", "-m", "a", "--model", "b"], values: { run: "dir", model: "b" }, problems: ["--model was given more than once"] },
    { argv: ["dir", "--streaming=maybe"], values: { run: "dir" }, problems: ['--streaming must be true or false (was "maybe")'] },
    { argv: [], values: {}, problems: [] },
    { argv: ["a", "b"], values: { run: "a" }, problems: ["unexpected argument: b"] },
    { argv: ["dir", "--no-model"], values: { run: "dir" }, problems: ["unknown flag --no-model"] },
    { argv: ["dir", "-x"], values: { run: "dir" }, problems: ["unknown flag -x"] },
    { argv: ["dir", "-model", "x"], values: { run: "dir" }, problems: ["unknown flag -model (did you mean --model?)"] },
  ];
  test.each(cases.map((c) => [c.argv.join(" ") || "(empty)", c] as const))("%s", (_name, c) => {
    const out = parseFlags(c.argv, DEF);
    expect(out.values).toEqual(c.values as never);
    expect(out.problems).toEqual(c.problems);
  });

  test("reports every problem at once", () => {
    const out = parseFlags(["--a", "--b", "--model"], DEF);
    expect(out.problems.length).toBe(3); // --a, --b, --model needs a value
  });

  test("a value after an unknown flag is not taken as a positional", () => {
    const out = parseFlags(["dir", "--bogus", "value"], DEF);
    expect(out.problems).toEqual(["unknown flag --bogus"]);
    expect(out.values.run).toBe("dir");
  });

  test("a repeatable positional takes what the positionals after it leave", () => {
    const def: FlagsDef = {
      runs: { type: "positional", repeatable: true, description: "r" },
      sql: { type: "positional", description: "s" },
    };
    expect(parseFlags(["a", "b", "c", "select 1"], def).values).toEqual({ runs: ["a", "b", "c"], sql: "select 1" });
    expect(parseFlags(["select 1"], def).values).toEqual({ sql: "select 1" });
    expect(parseFlags([], def).values).toEqual({});
  });

  test("a repeatable flag's default is a one-item list", () => {
    const def: FlagsDef = { url: { type: "string", repeatable: true, default: "localhost:8000", description: "u" } };
    expect(applyDefaults({}, def)).toEqual({ url: ["localhost:8000"] });
    expect(applyDefaults({ url: ["a", "b"] }, def)).toEqual({ url: ["a", "b"] });
  });

  test("defaults fill only what was not given", () => {
    expect(applyDefaults({ concurrency: "4" }, DEF)).toEqual({ concurrency: "4", streaming: true });
    expect(applyDefaults({}, DEF)).toEqual({ concurrency: "1", streaming: true });
  });
});
