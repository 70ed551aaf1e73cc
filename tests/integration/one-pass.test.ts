// An input file without --request-count is sent once through, whatever the concurrency: every session
// once, each through all its turns in order (more lanes than sessions used to replay the first ones
// and cut every session short).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/commands.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { fakeIo } from "../helpers/fake-io.ts";

type Body = { messages: { role: string; content: string }[] };
let dir = "";
let server: ReturnType<typeof Bun.serve>;
const received: Body[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-one-pass-"));
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      // A server without metrics: the run's scrape of /metrics gets a 404.
      if (new URL(req.url).pathname === "/metrics") return new Response("not found", { status: 404 });
      const body = (await req.json()) as Body;
      received.push(body);
      const last = body.messages.at(-1)?.content ?? "";
      // A little latency, so lanes overlap and the sessions interleave.
      await Bun.sleep(5);
      return Response.json({
        id: "x",
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content: `re: ${last}` }, finish_reason: "stop" }],
      });
    },
  });
});
afterAll(() => {
  server.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

test("multi_turn, 6 sessions x 3 turns at --concurrency 8 on 2 workers: 18 requests, each session's turns 0, 1, 2 once, in order", async () => {
  const file = join(dir, "chat.jsonl");
  const sessions = Array.from({ length: 6 }, (_, i) => ({ session_id: `s${i}`, turns: [0, 1, 2].map((t) => ({ text: `s${i} turn ${t}`, delay: 5 })) }));
  writeFileSync(file, `${sessions.map((s) => JSON.stringify(s)).join("\n")}\n`);
  const io = fakeIo(dir);
  const code = await runCli(
    [
      "profile",
      "-u",
      `http://127.0.0.1:${server.port}`,
      "-m",
      "m",
      "--tokenizer",
      "builtin",
      "--input-file",
      file,
      "--custom-dataset-type",
      "multi_turn",
      "--concurrency",
      "8",
      "--workers",
      "2",
      "--artifact-dir",
      "once",
      "--ui",
      "none",
      "--no-preflight",
    ],
    COMMANDS,
    io,
  );
  expect(code).toBe(0);
  expect(received.length).toBe(18);
  // Per session, in arrival order: which turn each request carried, and that it carried the history before it.
  const bySession = new Map<string, number[]>();
  for (const b of received) {
    const [sid, , turn] = b.messages.at(-1)!.content.split(" ");
    const t = Number(turn);
    expect(b.messages.filter((m) => m.role === "user").map((m) => m.content)).toEqual([0, 1, 2].slice(0, t + 1).map((k) => `${sid} turn ${k}`));
    bySession.set(sid!, [...(bySession.get(sid!) ?? []), t]);
  }
  expect([...bySession.keys()].sort()).toEqual(["s0", "s1", "s2", "s3", "s4", "s5"]);
  expect([...bySession.values()]).toEqual(new Array(6).fill([0, 1, 2]));
  expect(
    readFileSync(join(dir, "once", "profile_export.jsonl"), "utf8")
      .trim()
      .split("\n").length,
  ).toBe(18);
}, 60_000);
