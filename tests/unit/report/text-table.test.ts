import { describe, expect, test } from "bun:test";
import { renderCsv, renderJson, renderMarkdown, renderTextTable } from "../../../src/report/text-table.ts";

const RS = {
  columns: ["name", "p75_ms"],
  rows: [
    ["a,b", 1.5],
    ['say "hi"', null],
    ["x|y", 20],
  ] as (string | number | null)[][],
};

describe("result renderers", () => {
  test("text table aligns, right-aligns numeric columns, counts rows", () => {
    expect(renderTextTable(RS)).toBe(
      ["name      p75_ms", "--------  ------", "a,b          1.5", 'say "hi"    NULL', "x|y           20", "(3 rows)", ""].join("\n"),
    );
  });
  test("csv quotes per RFC 4180, NULL as empty", () => {
    expect(renderCsv(RS)).toBe(["name,p75_ms", '"a,b",1.5', '"say ""hi""",', "x|y,20", ""].join("\n"));
  });
  test("json is an array of row objects", () => {
    expect(JSON.parse(renderJson(RS))).toEqual([
      { name: "a,b", p75_ms: 1.5 },
      { name: 'say "hi"', p75_ms: null },
      { name: "x|y", p75_ms: 20 },
    ]);
  });
  test("markdown escapes pipes", () => {
    expect(renderMarkdown(RS).split("\n")[4]).toBe("| x\\|y | 20 |");
  });
  test("empty result", () => {
    expect(renderTextTable({ columns: ["n"], rows: [] })).toBe("n\n-\n(0 rows)\n");
  });
  test("table and markdown escape control characters in cells and headers; CSV only for a terminal; JSON losslessly", () => {
    const rs = { columns: ["e\u001b[1m"], rows: [["a\u001b[2Jb\tc\u009b"]] as (string | number | null)[][] };
    expect(renderTextTable(rs)).toBe(["e\\x1b[1m", "-".repeat(16), "a\\x1b[2Jb\\tc\\x9b", "(1 row)", ""].join("\n"));
    expect(renderMarkdown(rs).split("\n")[2]).toBe("| a\\x1b[2Jb\\tc\\x9b |");
    expect(renderCsv(rs, true)).toBe("e\\x1b[1m\na\\x1b[2Jb\\tc\\x9b\n");
    expect(renderCsv(rs)).toBe("e\u001b[1m\na\u001b[2Jb\tc\u009b\n");
    const json = renderJson(rs);
    expect(json).not.toMatch(/[\u001b\u009b]/);
    expect(JSON.parse(json)).toEqual([{ "e\u001b[1m": "a\u001b[2Jb\tc\u009b" }]);
  });
});
