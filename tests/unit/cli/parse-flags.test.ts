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

  // AIPerf's list form (cyclopts): one flag, several words. Only where no positional could want the words.
  const NO_POSITIONALS: FlagsDef = {
    url: { type: "string", alias: "u", description: "url", repeatable: true },
    model: { type: "string", description: "model" },
    gpu: { type: "string", description: "gpu", repeatable: true, bareValue: "localhost:9400" },
    streaming: { type: "boolean", description: "stream" },
  };
  const listCases: { argv: string[]; values: Record<string, unknown>; problems: string[] }[] = [
    { argv: ["--url", "a", "b", "--model", "m"], values: { url: ["a", "b"], model: "m" }, problems: [] },
    { argv: ["-u", "a", "b", "c"], values: { url: ["a", "b", "c"] }, problems: [] },
    { argv: ["--url", "a", "b", "--url", "c"], values: { url: ["a", "b", "c"] }, problems: [] },
    { argv: ["--url=a", "b"], values: { url: ["a"] }, problems: ["unexpected argument: b"] },
    { argv: ["--model", "m", "x"], values: { model: "m" }, problems: ["unexpected argument: x"] },
    { argv: ["--gpu"], values: { gpu: ["localhost:9400"] }, problems: [] },
    { argv: ["--gpu", "--streaming"], values: { gpu: ["localhost:9400"], streaming: true }, problems: [] },
    { argv: ["--gpu", "h:1", "h:2"], values: { gpu: ["h:1", "h:2"] }, problems: [] },
    { argv: ["--url"], values: {}, problems: ["--url needs a value"] },
  ];
  test.each(listCases.map((c) => [c.argv.join(" "), c] as const))("without positionals: %s", (_name, c) => {
    const out = parseFlags(c.argv, NO_POSITIONALS);
    expect(out.values).toEqual(c.values as never);
    expect(out.problems).toEqual(c.problems);
  });

  test("with a positional, a repeatable flag still takes one word", () => {
    const out = parseFlags(["--url", "a", "dir"], DEF);
    expect(out.values).toEqual({ url: ["a"], run: "dir" } as never);
    expect(out.problems).toEqual([]);
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
