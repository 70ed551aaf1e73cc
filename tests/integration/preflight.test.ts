// The first minute through the real CLI: a pasted SDK base URL works, a missing --model is taken from
// the server, and a server the load could only fail against (HTML, 401, 404, a body it cannot read, a
// model it does not serve) stops the run before any load with exactly one problem line and exit 2.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/commands.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { fakeIo } from "../helpers/fake-io.ts";

const KEY = "sk-live-Zt4q9Wm2Hx";
let dir = "";
let mock: MockServerHandle;
const standIns: { stop(): void }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-preflight-"));
  mock = await startMockServer({ port: 0, ttftMs: 1, itlMs: 1 });
});
afterAll(async () => {
  await mock.stop();
  for (const s of standIns) s.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A server answering every request with `answer`; `hits` is what it was asked ("POST /v1/chat/completions"). */
function standIn(answer: (path: string, req: Request) => Response): { url: string; hits: string[] } {
  const hits: string[] = [];
  const s = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const path = new URL(req.url).pathname;
      // A server without metrics: the run's scrape of /metrics gets a 404 and is not counted.
      if (path === "/metrics") return new Response("not found", { status: 404 });
      hits.push(`${req.method} ${path}`);
      await req.text();
      return answer(path, req);
    },
  });
  standIns.push({ stop: () => void s.stop(true) });
  return { url: `http://127.0.0.1:${s.port}`, hits };
}

/** Tests that run a (3-request) load: most of it is worker and DuckDB start-up, slow on a busy machine. */
const RUN_MS = 30_000;
let runs = 0;
async function profile(args: string[]): Promise<{ code: number; err: string; problems: string[]; infos: string[] }> {
  const io = fakeIo(dir);
  const base = ["profile", "--tokenizer", "builtin", "--streaming", "--request-count", "3", "--isl", "8", "--osl", "2", "--ui", "none", "--workers", "1"];
  const withDir = args.includes("--artifact-dir") || args.includes("--no-artifact-dir") ? args : [...args, "--artifact-dir", `run${runs++}`];
  const code = await runCli([...base, ...withDir.filter((a) => a !== "--no-artifact-dir")], COMMANDS, io);
  const err = io.stderr.join("") + io.stdout.join("");
  const lines = io.stderr.join("").split("\n");
  return { code, err, problems: lines.filter((l) => l.startsWith("llmbench profile:")), infos: lines.filter((l) => l.includes("[llmbench]")) };
}

/** Exactly one problem line (and the CLI's usage hint after it), exit 2. */
function expectOneProblem(r: { code: number; err: string; problems: string[] }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.problems.length).toBe(1);
  expect(r.problems[0]).toMatch(pattern);
  expect(r.err).toContain('Run "llmbench profile --help" for usage.');
  expect(r.err).not.toContain("    at ");
}

describe("URL and model", () => {
  test(
    "-u http://HOST:PORT/v1 (the SDK base URL) runs, with one line saying the URL was taken back to the base",
    async () => {
      const r = await profile(["-u", `${mock.url}/v1`, "-m", "mock-model"]);
      expect(r.code).toBe(0);
      const notes = r.infos.filter((l) => l.includes("ends in /v1"));
      expect(notes.length).toBe(1);
      expect(notes[0]).toContain(`using ${mock.url} as the base URL, requests go to ${mock.url}/v1/chat/completions`);
      expect(r.err).toContain("3 profiling requests recorded (0 failed)");
    },
    RUN_MS,
  );

  test(
    "no --model and one listed: that model is used, said in one line, and names the artifact directory",
    async () => {
      const r = await profile(["-u", mock.url, "--no-artifact-dir"]);
      expect(r.code).toBe(0);
      expect(r.infos.filter((l) => l.includes("--model not given")).length).toBe(1);
      expect(r.err).toContain(`--model not given: using mock-model, the one model ${mock.url} serves`);
      expect(existsSync(join(dir, "artifacts", "mock-model-openai-chat-concurrency1", "profile_export.jsonl"))).toBe(true);
    },
    RUN_MS,
  );

  test("no --model and two listed: one line naming both, exit 2, no request sent", async () => {
    const s = standIn(() => Response.json({ object: "list", data: [{ id: "model-a" }, { id: "model-b" }] }));
    const r = await profile(["-u", s.url]);
    expectOneProblem(r, /--model is required: http:\/\/127\.0\.0\.1:\d+ serves 2 models: model-a, model-b$/);
    expect(s.hits).toEqual(["GET /v1/models"]);
  });

  test("no --model: a problem with another flag is reported before the server is asked", async () => {
    const s = standIn(() => Response.json({ data: [{ id: "m" }] }));
    const r = await profile(["-u", s.url, "--concurrency", "0"]);
    expectOneProblem(r, /--concurrency must be at least 1/);
    expect(s.hits).toEqual([]);
  });

  test("--no-preflight without --model: one line, nothing sent", async () => {
    const s = standIn(() => Response.json({ data: [{ id: "m" }] }));
    const r = await profile(["-u", s.url, "--no-preflight"]);
    expectOneProblem(r, /--model is required with --no-preflight/);
    expect(s.hits).toEqual([]);
  });

  test("a model the server does not serve: one line naming the ones it does, exit 2, no load", async () => {
    // As vLLM answers an unknown model.
    const s = standIn((path) =>
      path === "/v1/models"
        ? Response.json({ object: "list", data: [{ id: "Qwen/Qwen3-0.6B" }, { id: "Qwen/Qwen3-8B" }] })
        : Response.json({ object: "error", message: "The model `qwen3` does not exist.", type: "NotFoundError", code: 404 }, { status: 404 }),
    );
    const r = await profile(["-u", s.url, "-m", "qwen3"]);
    expectOneProblem(r, /--model qwen3 is not served by http:\/\/127\.0\.0\.1:\d+; it lists Qwen\/Qwen3-0\.6B, Qwen\/Qwen3-8B \(GET \/v1\/models\)$/);
    expect(s.hits).toEqual(["GET /v1/models", "POST /v1/chat/completions"]);
  });

  test(
    "a model missing from the list that the server answers anyway (aliases, llama.cpp): a warning, the run goes on",
    async () => {
      const r = await profile(["-u", mock.url, "-m", "another-name"]);
      expect(r.code).toBe(0);
      expect(r.infos.filter((l) => l.includes("--model another-name is not in the list")).length).toBe(1);
    },
    RUN_MS,
  );
});

describe("answers the load could not use: one line each, exit 2, no load", () => {
  test("an HTML page (a web UI on that port)", async () => {
    const s = standIn(
      () => new Response("<!DOCTYPE html>\n<html><head><title>Open WebUI</title></head><body>...</body></html>", { headers: { "content-type": "text/html" } }),
    );
    const r = await profile(["-u", s.url, "-m", "m"]);
    expectOneProblem(
      r,
      /pre-flight request to http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions got an HTML page \(HTTP 200, text\/html: "<!DOCTYPE html> <html><head><title>Open WebUI<\/title>.{0,40}"\); --url must be the API server's base URL/,
    );
    expect(s.hits.filter((h) => h.startsWith("POST")).length).toBe(1);
  });

  test("401: the fix named, and the key echoed by the server is not printed", async () => {
    const s = standIn((_p, req) =>
      Response.json({ error: { message: `Incorrect API key provided: ${req.headers.get("authorization")?.slice(7)}` } }, { status: 401 }),
    );
    const r = await profile(["-u", s.url, "-m", "m", "--api-key", KEY]);
    expectOneProblem(r, /: HTTP 401: Incorrect API key provided: <redacted>; the server refused the credentials given \(check --api-key, -H\)$/);
    expect(r.err).not.toContain(KEY);
    expect(r.err).not.toContain(KEY.slice(0, 10));
    expect(s.hits.filter((h) => h.startsWith("POST")).length).toBe(1);
  });

  test("401 without a key: give --api-key", async () => {
    const s = standIn(() => new Response("Unauthorized", { status: 401 }));
    const r = await profile(["-u", s.url, "-m", "m"]);
    expectOneProblem(r, /: HTTP 401: Unauthorized; the server wants an API key: give --api-key KEY$/);
  });

  test("404: the URL is the likely fault", async () => {
    const s = standIn(() => new Response("Not Found", { status: 404 }));
    const r = await profile(["-u", `${s.url}/api`, "-m", "m"]);
    expectOneProblem(r, /\/api\/v1\/chat\/completions: HTTP 404: Not Found; no such endpoint there: --url must be the server's base URL/);
    expect(s.hits).toEqual(["GET /api/v1/models", "POST /api/v1/chat/completions"]);
  });

  test("a wrong content type: status, content type and the start of the body", async () => {
    const s = standIn((path) =>
      path === "/v1/models" ? new Response("", { status: 404 }) : new Response("OK\r\n\x1b[31mready", { headers: { "content-type": "text/plain" } }),
    );
    const r = await profile(["-u", s.url, "-m", "m"]);
    expectOneProblem(r, /the answer \(HTTP 200, text\/plain: "OK \\x1b\[31mready"\) is not one the benchmark can read: stream ended without data: \[DONE\]$/);
    expect(r.err).not.toContain("\x1b");
    expect(s.hits.filter((h) => h.startsWith("POST")).length).toBe(1);
  });

  test(
    "--no-preflight skips both checks: the load goes straight out",
    async () => {
      const s = standIn(() => new Response("<html></html>", { headers: { "content-type": "text/html" } }));
      const r = await profile(["-u", s.url, "-m", "m", "--no-preflight"]);
      expect(r.code).toBe(1);
      expect(s.hits).toEqual(new Array(3).fill("POST /v1/chat/completions"));
    },
    RUN_MS,
  );
});
