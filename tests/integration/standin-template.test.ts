// --endpoint-type template against a custom-API stand-in: the body is the user's Jinja2 template,
// requests go to the --url as given, the text is read at --extra-inputs response_field in every SSE
// event (events without it carry no text), the stream ends when the server closes it, and an error
// object mid-stream is the record's error. Also through the profile pipeline against the mock's
// completions route, read with response_field choices[0].text.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFieldPath } from "../../src/client/field-path.ts";
import { startMockServer } from "../../src/mock/server.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { runTestProfile, testProfileConfig } from "../helpers/profile-config.ts";
import { customBody, customStream } from "../helpers/standins/custom-api.ts";
import { runAgainst } from "../helpers/standins/run-against.ts";
import { expectChunkTimes, startScriptedServer, type Script } from "../helpers/standins/scripted-server.ts";

const TEMPLATE = '{"prompt": {{ text|tojson }}, "max_new_tokens": {{ max_tokens|tojson }}, "stream": {{ stream|lower }}}';
const PIECES = [" Short", " waves", " scatter more."];

let next: Script | null = null;
const server = startScriptedServer((path) =>
  path === "/custom/generate" && next !== null ? next : { status: 404, contentType: "application/json", frames: [{ afterMs: 0, text: "{}" }] },
);
const dir = mkdtempSync(join(tmpdir(), "llmbench-template-"));
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const run = (streaming: boolean, field: string | null) =>
  runAgainst(`${server.url}/custom/generate`, "template", streaming, {
    extra: field === null ? { payload_template: TEMPLATE } : { payload_template: TEMPLATE, response_field: field },
    responseField: field === null ? null : parseFieldPath(field),
  });

describe("template against a custom API stand-in", () => {
  test("streaming with response_field: body, URL as given, chunk times, tokens, end at close", async () => {
    const plan = customStream(PIECES, 40);
    next = plan.script;
    const rec = await run(true, "output.text");
    expect(rec.error).toBeNull();
    const ex = server.exchanges.at(-1)!;
    expect(ex.path).toBe("/custom/generate");
    expect(ex.body).toEqual({ prompt: "why is the sky blue", max_new_tokens: 16, stream: true });
    expectChunkTimes(rec, plan.script, plan.deltaFrames, ex.sentNs);
    expect(rec.first_token_ns).toBe(rec.chunks[0]!.arrival_ns);
    expect(rec.chunks.map((c) => c.tokens)).toEqual([1, 1, 2]);
    expect(rec.output_tokens).toBe(4);
    expect(rec.end_ns).toBeGreaterThanOrEqual(ex.sentNs.at(-1)!);
  });

  test("streaming: an error object after two pieces is the record's error", async () => {
    const plan = customStream(PIECES, 40, 2);
    next = plan.script;
    const rec = await run(true, "output.text");
    expect(rec.error).toEqual({ code: 500, type: "internal", message: "worker crashed" });
    expectChunkTimes(rec, plan.script, plan.deltaFrames, server.exchanges.at(-1)!.sentNs);
  });

  test("non-streaming: the field's text; a field that matches nothing is an empty response", async () => {
    next = customBody("Short waves scatter more.");
    const ok = await run(false, "output.text");
    expect(ok.error).toBeNull();
    expect(ok.output_tokens).toBe(4);
    const miss = await run(false, "result.text");
    expect(miss.error).toEqual({ code: 0, type: "empty_response", message: "no content in the response: response_field matched nothing" });
  });
});

test("template through the profile pipeline against the mock's completions route", async () => {
  const mock = await startMockServer({ port: 0, ttftMs: 2, itlMs: 1 });
  try {
    const cfg = testProfileConfig(`${mock.url}/v1/completions`, {
      endpointType: "template",
      extraInputs: [
        'payload_template:{"model": {{ model|tojson }}, "prompt": {{ text|tojson }}, "max_tokens": {{ max_tokens|tojson }}, "stream": {{ stream|lower }}}',
        "response_field:choices[0].text",
      ],
      requestCount: 4,
      concurrency: 2,
      osl: 6,
      artifactDir: join(dir, "mock-run"),
    });
    const records = (await runTestProfile(cfg, fakeIo(dir))).records;
    expect(records.length).toBe(4);
    expect(records.filter((r) => r.error !== null).map((r) => r.error)).toEqual([]);
    expect(records.map((r) => r.chunks.length)).toEqual([6, 6, 6, 6]);
  } finally {
    await mock.stop();
  }
});
