// --help as a user at an 80-column terminal reads it: every line fits, every spelling shown can be
// typed as shown, the spec's sections appear in order, defaults in one style.
import { describe, expect, test } from "bun:test";
import { COMMANDS } from "../../../src/cli/commands.ts";
import { commandHelp, helpWidth, rootHelp, wrap } from "../../../src/cli/help.ts";
import { parseFlags } from "../../../src/cli/parse-flags.ts";
import { PROFILE_FLAGS } from "../../../src/config/profile-flags.ts";

describe("wrap", () => {
  test.each([
    ["a bb ccc dddd", 6, ["a bb", "ccc", "dddd"]],
    ["", 10, [""]],
    ["abcdefghij", 4, ["abcd", "efgh", "ij"]],
    ["x  y\\n z", 10, ["x y\\n z"]],
  ])("wrap(%j, %d)", (text, width, want) => {
    expect(wrap(text, width)).toEqual(want);
  });
});

test.each([
  [{ COLUMNS: "120" }, undefined, 120],
  [{}, 100, 100],
  [{}, undefined, 80],
  [{ COLUMNS: "abc" }, undefined, 80],
  [{ COLUMNS: "10" }, undefined, 40],
])("helpWidth(%j, %p) = %d", (env, cols, want) => {
  expect(helpWidth(env, cols)).toBe(want);
});

describe.each([80, 120])("at %d columns", (width) => {
  test.each(COMMANDS.map((c) => [c.name, c] as const))("%s --help: every line fits", (_name, cmd) => {
    const lines = commandHelp(cmd, width).split("\n");
    expect(lines.length).toBeGreaterThan(5);
    const over = lines.filter((l) => l.length > width);
    expect(over).toEqual([]);
    // A value hint sits on its flag's line, whole (never alone on a line, never broken).
    const flagColumn = (l: string): string => l.trimStart().split(/\s{2,}/)[0]!;
    const split = (l: string): boolean =>
      (/^ {2}</.test(l) && flagColumn(l) === l.trim()) || (/^\s+-/.test(l) && flagColumn(l).split("<").length !== flagColumn(l).split(">").length);
    expect(lines.filter(split)).toEqual([]);
  });

  test("root help: every line fits", () => {
    const lines = rootHelp(COMMANDS, ["llmbench demo"], width).split("\n");
    expect(lines.filter((l) => l.length > width)).toEqual([]);
    for (const c of COMMANDS) expect(lines.some((l) => l.startsWith(`  ${c.name} `))).toBe(true);
  });
});

describe("profile --help", () => {
  const profile = COMMANDS.find((c) => c.name === "profile")!;
  const text = commandHelp(profile, 80);

  test("every flag spelling shown is one the parser takes (no one-dash long aliases)", () => {
    const shown = [...text.matchAll(/(?:^|[\s(,])(--?[a-zA-Z][\w-]*)/gm)].map((m) => m[1]!).filter((f) => f !== "-h" && f !== "--help");
    const spellings = [...new Set(shown)];
    expect(spellings.length).toBeGreaterThan(60);
    for (const f of spellings) {
      expect(f.startsWith("--") || f.length === 2).toBe(true);
      const takesValue = !text.includes(`${f} `) || !text.split(f)[1]!.startsWith(" <") ? [] : ["1"];
      const r = parseFlags([f, ...takesValue], PROFILE_FLAGS);
      expect(r.problems.filter((p) => p.startsWith("unknown flag"))).toEqual([]);
    }
  });

  test("every visible flag and every alias of the spec is in the help", () => {
    for (const [name, spec] of Object.entries(PROFILE_FLAGS)) {
      expect(text).toContain(`--${name}`);
      const aliases = "alias" in spec ? (typeof spec.alias === "string" ? [spec.alias] : [...spec.alias]) : [];
      for (const a of aliases) expect(text).toContain(a.length === 1 ? `-${a}, --${name}` : `--${a}`);
    }
  });

  test("sections in the spec's order, defaults in one style, no colour codes", () => {
    const headers = text.split("\n").filter((l) => /^[A-Z][a-z]+:$/.test(l));
    expect(headers).toEqual(["Endpoint:", "Input:", "Load:", "Output:", "Run:", "Examples:"]);
    expect(text).toContain("[default: 550]");
    expect(text).not.toMatch(/\(default[: ]/);
    expect(text).not.toContain("\x1b");
  });
});
