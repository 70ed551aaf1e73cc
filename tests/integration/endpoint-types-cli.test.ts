// The new endpoint types through the real CLI (flags, pre-flight, load) against stand-ins: TGI and a
// reranker are not asked for /v1/models (they have none) and their pre-flight passes;
// --rankings-passages-mean shapes every rerank request; the run exits 0.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/commands.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { passagesOf, rerankAnswer } from "../helpers/standins/rerankers.ts";
import { startScriptedServer, type ScriptedServer } from "../helpers/standins/scripted-server.ts";
import { tgiStream } from "../helpers/standins/tgi.ts";

/** The paths a stand-in saw, without the server-metrics scrapes every run makes by default. */
const apiPaths = (s: { exchanges: { path: string }[] }): string[] => s.exchanges.map((e) => e.path).filter((p) => p !== "/metrics");

let dir = "";
const servers: ScriptedServer[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-endpoint-cli-"));
});
afterAll(async () => {
  for (const s of servers) await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

const NOT_FOUND = { status: 404, contentType: "application/json", frames: [{ afterMs: 0, text: '{"error":"not found"}' }] };

async function profile(url: string, args: string[]): Promise<{ code: number; err: string }> {
  const io = fakeIo(dir);
  const base = ["profile", "--url", url, "--model", "standin-model", "--tokenizer", "builtin", "--request-count", "3", "--isl", "12", "--osl", "4"];
  const code = await runCli([...base, "--ui", "none", "--workers", "1", "--artifact-dir", `run${servers.length}`, ...args], COMMANDS, io);
  return { code, err: io.stderr.join("") };
}

test("huggingface_generate --streaming: /generate_stream, no /v1/models asked, exit 0", async () => {
  const s = startScriptedServer((path) => (path === "/generate_stream" ? tgiStream({ tokens: [" a", " b", " c", " d"], gapMs: 1 }).script : NOT_FOUND));
  servers.push(s);
  const r = await profile(s.url, ["--endpoint-type", "huggingface_generate", "--streaming"]);
  expect(r.err).not.toContain("llmbench profile:");
  expect(r.code).toBe(0);
  // The pre-flight request and the three of the load, all to /generate_stream.
  // (The run also scrapes /metrics, which the stand-in answers 404: not an API exchange.)
  expect(apiPaths(s)).toEqual(["/generate_stream", "/generate_stream", "/generate_stream", "/generate_stream"]);
});

test("hf_tei_rankings --rankings-passages-mean 3: three passages in every request, exit 0", async () => {
  const s = startScriptedServer((path, body) => {
    const passages = passagesOf("tei", body);
    return path === "/rerank" && passages !== null ? rerankAnswer("tei", passages.length, 1) : NOT_FOUND;
  });
  servers.push(s);
  const r = await profile(s.url, ["--endpoint-type", "hf_tei_rankings", "--rankings-passages-mean", "3"]);
  expect(r.err).not.toContain("llmbench profile:");
  expect(r.code).toBe(0);
  expect(apiPaths(s)).toEqual(["/rerank", "/rerank", "/rerank", "/rerank"]);
  expect(s.exchanges.filter((e) => e.path !== "/metrics").map((e) => passagesOf("tei", e.body)?.length)).toEqual([3, 3, 3, 3]);
});

test("--streaming with a reranker is refused in one line", async () => {
  const r = await profile("http://127.0.0.1:9", ["--endpoint-type", "cohere_rankings", "--streaming"]);
  expect(r.code).toBe(2);
  expect(r.err).toContain("--streaming is not available with --endpoint-type cohere_rankings");
});
