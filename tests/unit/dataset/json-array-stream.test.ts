import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { forEachJsonArrayElement, JsonArrayError } from "../../../src/dataset/json-array-stream.ts";

const dir = mkdtempSync(join(tmpdir(), "llmbench-jsonarr-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function fileWith(text: string): string {
  const p = join(dir, `f${n++}.json`);
  writeFileSync(p, text);
  return p;
}

function elements(text: string, chunkBytes: number): unknown[] {
  const out: unknown[] = [];
  forEachJsonArrayElement(fileWith(text), (v) => out.push(v), chunkBytes);
  return out;
}

const cases: [string, unknown[]][] = [
  ["[]", []],
  [" \n[ ]\n", []],
  ['[{"a":1}]', [{ a: 1 }]],
  ['[{"a":"x]},\\"y"},{"b":[1,[2,{"c":"}"}]]}]', [{ a: 'x]},"y' }, { b: [1, [2, { c: "}" }]] }]],
  ['[1, "two", null, true, -3.5e2, [], {}]', [1, "two", null, true, -350, [], {}]],
  ['[ {"t":"é ✓ 😀 \\\\"} , "\\u0041" ]', [{ t: "é ✓ 😀 \\" }, "A"]],
];

describe("forEachJsonArrayElement", () => {
  test.each(cases)("%s, at every chunk size", (text, want) => {
    for (const chunk of [1, 2, 3, 5, 7, 64, 4096]) expect(elements(text, chunk)).toEqual(want);
  });

  const bad: [string, RegExp][] = [
    ["", /empty file/],
    ['{"a":1}', /must start with '\['/],
    ['[{"a":1}', /not closed/],
    ['[{"a":1} {"b":2}]', /expected ',' or '\]' after element 1/],
    ["[1,,2]", /unexpected ','/],
    ['[{"a":1}] x', /after the closing/],
    ['[{"a":tru}]', /element 1 is not valid JSON/],
  ];
  test.each(bad)("refuses %p", (text, why) => {
    for (const chunk of [1, 3, 4096]) {
      expect(() => elements(text, chunk)).toThrow(JsonArrayError);
      expect(() => elements(text, chunk)).toThrow(why);
    }
  });

  test("reports elements in order with their index", () => {
    const seen: [unknown, number][] = [];
    forEachJsonArrayElement(fileWith('[{"i":0},{"i":1},{"i":2}]'), (v, i) => seen.push([v, i]), 5);
    expect(seen).toEqual([
      [{ i: 0 }, 0],
      [{ i: 1 }, 1],
      [{ i: 2 }, 2],
    ]);
  });
});
