// --endpoint-type template bodies: Jinja2 templates rendered as AIPerf renders them (tojson,
// autoescape, lower on booleans, named and file templates), other --extra-inputs merged, and the
// one-line problems checked before a run.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requestBody } from "../../../src/client/request-body.ts";
import { renderTemplateBody, templateProblems, templateSource } from "../../../src/client/template-body.ts";

const dir = mkdtempSync(join(tmpdir(), "llmbench-template-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VARS = { prompt: 'say "<hi>" & bye', model: "m", maxTokens: 7, streaming: true };

describe("renderTemplateBody", () => {
  test("tojson escapes as Jinja2 does and stays JSON; lower of a boolean; max_tokens", () => {
    const source = '{"prompt": {{ text|tojson }}, "n": {{ max_tokens|tojson }}, "stream": {{ stream|lower }}, "texts": {{ texts|tojson }}}';
    expect(renderTemplateBody(source, VARS)).toEqual({ prompt: 'say "<hi>" & bye', n: 7, stream: true, texts: ['say "<hi>" & bye'] });
  });
  test("a missing value under tojson is null", () => {
    expect(renderTemplateBody('{"q": {{ query|tojson }}, "x": {{ nothing|tojson }}}', VARS)).toEqual({ q: null, x: null });
  });
  test("not JSON: the error says so and shows the text", () => {
    expect(() => renderTemplateBody('{"prompt": {{ text }}}', VARS)).toThrow(/does not render valid JSON/);
  });
});

test("named template nv-embedqa and a template file", () => {
  expect(templateSource("nv-embedqa")).toBe('{"text": {{ texts|tojson }}}');
  const file = join(dir, "t.json");
  writeFileSync(file, '{"input": {{ text|tojson }}}');
  expect(templateSource(file)).toBe('{"input": {{ text|tojson }}}');
});

test("requestBody: the rendered template plus the other --extra-inputs, without payload_template and response_field", () => {
  const body = requestBody({
    endpointType: "template",
    model: "m",
    prompt: "hello",
    maxTokens: 5,
    streaming: false,
    includeUsage: true,
    extra: { payload_template: '{"q": {{ text|tojson }}, "model": {{ model|tojson }}}', response_field: "out", temperature: 0.5 },
  });
  expect(body).toEqual({ q: "hello", model: "m", temperature: 0.5 });
});

describe("templateProblems", () => {
  test.each([
    [{}, /needs --extra-inputs payload_template:TEMPLATE/],
    [{ payload_template: '{"a": {{ text }}}' }, /--extra-inputs payload_template does not render valid JSON/],
    [{ payload_template: '{"a": {{ text|tojson }}}', response_field: "a.[0]" }, /response_field:a\.\[0\] is not a field path/],
    [{ payload_template: "{% if %}" }, /payload_template/],
  ])("%p", (extra, want) => {
    const problems = templateProblems(extra, "m");
    expect(problems.length).toBe(1);
    expect(problems[0]).toMatch(want);
  });
  test("a good template and field: none", () => {
    expect(templateProblems({ payload_template: '{"a": {{ text|tojson }}}', response_field: "choices[0].text" }, "m")).toEqual([]);
  });
});
