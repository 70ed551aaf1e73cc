// A hostile or careless server: error bodies that echo the API key, carry terminal escape sequences
// and carriage returns, or run to many lines; and credentials given in the --url. Run through the real
// CLI pipeline; nothing the server sent may drive the terminal, and no secret may be stored or printed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/run-cli.ts";
import { COMMANDS } from "../../src/cli/commands.ts";
import { queryReadOnly } from "../../src/store/read-db.ts";
import { fakeIo, type FakeIo } from "../helpers/fake-io.ts";

const KEY = "sk-secret-Hx7Qp2Vw9LmZ4rT8";
const HOSTILE = "\x1b[2J\x1b]0;pwned\x07\r  99 x ok (200): all fine";
const USER = "bench-user";
const PW = "pw-Zq8v3LkT6yN1";
const REQUESTS = 8;

let dir = "";
/** Answers in turn: JSON 401 echoing the key, plain-text 401 echoing it, multi-line HTML 501, SSE error event echoing it. */
let hostile: { url: string; stop: () => void };
/** Streams a one-word answer and keeps the Authorization header of every request. */
let recorder: { url: string; auth: (string | null)[]; stop: () => void };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-hostile-"));
  let n = 0;
  const h = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      // The run's /metrics scrapes must not shift which answer each request gets.
      if (new URL(req.url).pathname === "/metrics") return new Response("not found", { status: 404 });
      await req.text();
      const auth = req.headers.get("authorization") ?? "";
      const key = auth.replace(/^Bearer /, "");
      switch (n++ % 4) {
        case 0:
          return Response.json({ error: { message: `Incorrect API key provided: ${key}. ${HOSTILE}`, type: "invalid_request_error" } }, { status: 401 });
        case 1:
          // The key starts just before character 500 (after blank lines that printing collapses), where
          // a cut made before scrubbing would leave its first characters.
          return new Response(`bad${"\n".repeat(480)}key ${key}\n${HOSTILE}\nsecond line`, { status: 401, headers: { "content-type": "text/plain" } });
        case 2:
          return new Response(
            "<html>\n<head><title>501 Not Implemented</title></head>\n<body>\n<center><h1>501 Not Implemented</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n".repeat(
              3,
            ),
            { status: 501, headers: { "content-type": "text/html" } },
          );
        default:
          return new Response(`data: ${JSON.stringify({ error: { message: `stream refused for ${auth} ${HOSTILE}`, type: "\x1b[31mevil\r" } })}\n\n`, {
            headers: { "content-type": "text/event-stream" },
          });
      }
    },
  });
  hostile = { url: `http://127.0.0.1:${h.port}`, stop: () => void h.stop(true) };

  const auth: (string | null)[] = [];
  const r = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      await req.text();
      // The load's requests only: the server-metrics scrapes of /metrics carry no credentials.
      if (new URL(req.url).pathname !== "/metrics") auth.push(req.headers.get("authorization"));
      const chunk = { id: "x", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: "ok" }, finish_reason: null }] };
      return new Response(`data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`, { headers: { "content-type": "text/event-stream" } });
    },
  });
  recorder = { url: `http://127.0.0.1:${r.port}`, auth, stop: () => void r.stop(true) };
});

afterAll(() => {
  hostile.stop();
  recorder.stop();
  rmSync(dir, { recursive: true, force: true });
});

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .map((p) => join(root, p))
    .filter((p) => statSync(p).isFile());
}

/** Every file of the artifact directory (results.duckdb and any .wal included) that holds `needle`'s bytes. */
function filesHolding(root: string, needle: string): string[] {
  const bytes = Buffer.from(needle, "utf8");
  return filesUnder(root).filter((p) => readFileSync(p).includes(bytes));
}

async function profile(args: string[], artifactDir: string): Promise<{ code: number; io: FakeIo; out: string; err: string }> {
  const io = fakeIo(dir);
  const code = await runCli(
    // --no-preflight: these servers are to be met by the load itself (the pre-flight has its own tests).
    [
      "profile",
      "-m",
      "m",
      "--tokenizer",
      "builtin",
      "--streaming",
      "--request-count",
      String(REQUESTS),
      "--concurrency",
      "2",
      "--workers",
      "1",
      "--ui",
      "none",
      "--no-preflight",
      "--artifact-dir",
      artifactDir,
      ...args,
    ],
    COMMANDS,
    io,
  );
  return { code, io, out: io.stdout.join(""), err: io.stderr.join("") };
}

describe("a hostile server", () => {
  test("echoed key and terminal escapes: the key is stored and printed nowhere; output has no ESC, BEL or CR; one line per error", async () => {
    const run = await profile(["-u", hostile.url, "--api-key", KEY], "hostile");
    expect(run.code).toBe(1);
    const artifacts = join(dir, "hostile");
    expect(filesUnder(artifacts).length).toBeGreaterThanOrEqual(5);
    for (const needle of [KEY, KEY.slice(0, 12)]) {
      expect(filesHolding(artifacts, needle)).toEqual([]);
      expect(run.out + run.err).not.toContain(needle);
    }

    // DuckDB may compress strings, so ask it as well.
    const db = join(artifacts, "results.duckdb");
    const messages = (await queryReadOnly(db, "select error_type, error_message from requests order by request_index")).rows as [string, string][];
    expect(messages.length).toBe(REQUESTS);
    expect(messages.filter(([t, m]) => (t + m).includes(KEY.slice(0, 12)))).toEqual([]);
    expect(messages.filter(([, m]) => m.includes("<redacted>")).length).toBe((REQUESTS / 4) * 3);
    for (const [t, m] of messages) {
      expect(t + m).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
      expect(m.length).toBeLessThanOrEqual(320);
    }
    const config = (await queryReadOnly(db, "select config from runs")).rows[0]?.[0];
    expect(String(config)).not.toContain(KEY);

    for (const stream of [run.out, run.err]) {
      expect(stream).not.toContain("\x1b");
      expect(stream).not.toContain("\x07");
      expect(stream).not.toContain("\r");
    }
    // The console error summary: every entry is exactly one line, and only the real groups are there.
    const lines = run.out.split("\n");
    const start = lines.indexOf("Errors:");
    expect(start).toBeGreaterThan(0);
    const after = lines.slice(start + 1);
    const entries = after.slice(
      0,
      after.findIndex((l) => !l.startsWith("  ")),
    );
    const groups = (await queryReadOnly(db, "select count(distinct (error_type, error_code, error_message)) from requests")).rows[0]?.[0];
    expect(entries.length).toBe(Number(groups));
    expect(entries.length).toBe(4);
    for (const e of entries) expect(e).toMatch(/^ {2}\d+ x \S+ \(\d+\): /);
    expect(entries.reduce((a, e) => a + Number(/^ {2}(\d+)/.exec(e)?.[1]), 0)).toBe(REQUESTS);
    const html = entries.find((e) => e.includes("501 Not Implemented"));
    // Cut to the terminal's width (80 without one); the stored message is bounded too (checked above).
    expect(html!.length).toBe(80);
    expect(html!.endsWith("…")).toBe(true);
  }, 60_000);

  for (const transport of ["http", "fetch"]) {
    test(`-u http://user:pw@host (${transport}): sent as HTTP Basic auth; the password is stored and printed nowhere`, async () => {
      recorder.auth.length = 0;
      const url = `http://${USER}:${PW}@${recorder.url.slice("http://".length)}`;
      const run = await profile(["-u", url, "--transport", transport], `userinfo-${transport}`);
      expect(run.code).toBe(0);
      const basic = `Basic ${Buffer.from(`${USER}:${PW}`).toString("base64")}`;
      expect(recorder.auth.length).toBe(REQUESTS);
      expect(recorder.auth.filter((a) => a === basic).length).toBe(REQUESTS);

      const artifacts = join(dir, `userinfo-${transport}`);
      for (const needle of [PW, USER, basic.slice("Basic ".length)]) {
        expect(filesHolding(artifacts, needle)).toEqual([]);
        expect(run.out + run.err).not.toContain(needle);
      }
      const db = join(artifacts, "results.duckdb");
      const urls = (await queryReadOnly(db, "select distinct url from requests")).rows.map((r) => String(r[0]));
      expect(urls).toEqual([`${recorder.url}/v1/chat/completions`]);
      const config = String((await queryReadOnly(db, "select config from runs")).rows[0]?.[0]);
      expect(config).not.toContain(PW);
      expect(config).toContain(`"${recorder.url}/v1/chat/completions"`);
      const exported = readFileSync(join(artifacts, "profile_export_aiperf.json"), "utf8");
      expect(exported).toContain(`${recorder.url}/v1/chat/completions`);
    }, 60_000);
  }

  test("an explicit Authorization header wins over URL credentials", async () => {
    recorder.auth.length = 0;
    const url = `http://${USER}:${PW}@${recorder.url.slice("http://".length)}`;
    const run = await profile(["-u", url, "-H", "Authorization:Bearer tok-explicit-123"], "explicit-auth");
    expect(run.code).toBe(0);
    expect(recorder.auth).toEqual(Array.from({ length: REQUESTS }, () => "Bearer tok-explicit-123"));
    expect(filesHolding(join(dir, "explicit-auth"), PW)).toEqual([]);
    expect(filesHolding(join(dir, "explicit-auth"), "tok-explicit-123")).toEqual([]);
  }, 60_000);
});
