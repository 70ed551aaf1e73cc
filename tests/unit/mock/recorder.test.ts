import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Recorder, type MockRecord } from "../../../src/mock/recorder.ts";

const dir = mkdtempSync(join(tmpdir(), "mock-rec-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rec = (id: string): MockRecord => ({
  request_id: id,
  path: "/v1/completions",
  model: "m",
  stream: true,
  received_ns: 1,
  headers_sent_ns: 2,
  first_token_ns: 3,
  end_ns: 4,
  status: 200,
  fault: null,
  prompt_tokens: 1,
  completion_tokens: 1,
  reasoning_tokens: 0,
  max_tokens: null,
  chunks: [{ sent_ns: 3, tokens: 1, bytes: 10 }],
  client_disconnected: false,
});

describe("Recorder", () => {
  test("close flushes every buffered line, in order, appending to existing content", async () => {
    const path = join(dir, "a.jsonl");
    writeFileSync(path, "existing\n");
    const r = await Recorder.open(path);
    for (let i = 0; i < 500; i++) r.write(rec(`id${i}`));
    await r.close();
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("existing");
    expect(lines.length).toBe(501);
    expect(lines.slice(1).map((l) => JSON.parse(l).request_id)).toEqual(Array.from({ length: 500 }, (_, i) => `id${i}`));
    r.write(rec("late"));
    expect(readFileSync(path, "utf8").includes("late")).toBe(false);
  });

  test("flush without close makes lines visible", async () => {
    const path = join(dir, "b.jsonl");
    const r = await Recorder.open(path);
    r.write(rec("x"));
    await r.flush();
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(rec("x"));
    await r.close();
  });

  test("a bad path fails at open", async () => {
    await expect(Recorder.open(join(dir, "no/such/dir/x.jsonl"))).rejects.toThrow();
  });
});
