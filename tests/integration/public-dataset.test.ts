// --public-dataset sharegpt end to end against the mock: downloaded once from a local server standing
// in for the Hugging Face hub (no network), then read from the cache offline; a local copy through
// --input-file; and AIPerf's own download cache. Records carry each turn's prompt and reply lengths.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/commands.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { loadTokenizer } from "../../src/dataset/tokenizer.ts";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import type { RequestRecord } from "../../src/record/request-record.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { runRecords } from "../helpers/profile-config.ts";

const COMMIT = "fedcba9876543210fedcba9876543210fedcba98";
const FILE_PATH = "/datasets/anon8231489123/ShareGPT_Vicuna_unfiltered/resolve/main/ShareGPT_V3_unfiltered_cleaned_split.json";
const tok = await loadTokenizer("builtin");
const say = (n: number, word: string): string => Array.from({ length: n }, (_, i) => `${word}${i % 7}`).join(" ");

// Entry 1 has too short a prompt and entry 3 one reply too short: both are left out.
const ENTRIES = [
  {
    id: "a",
    conversations: [
      { from: "human", value: say(12, "alpha") },
      { from: "gpt", value: say(9, "reply") },
    ],
  },
  {
    id: "b",
    conversations: [
      { from: "human", value: "Hi" },
      { from: "gpt", value: say(20, "reply") },
    ],
  },
  {
    id: "c",
    conversations: [
      { from: "system", value: "be brief" },
      { from: "human", value: say(30, "gamma") },
      { from: "gpt", value: say(6, "answer") },
      { from: "human", value: say(8, "delta") },
      { from: "gpt", value: say(11, "answer") },
    ],
  },
  {
    id: "d",
    conversations: [
      { from: "human", value: say(15, "eps") },
      { from: "gpt", value: "ok" },
    ],
  },
];
/** [conversation, turn, prompt tokens, reply tokens] of what passes AIPerf's filter, in file order. */
const KEPT: [string, number, number, number][] = [
  ["sharegpt_000000", 0, tok.count(ENTRIES[0]!.conversations[0]!.value), tok.count(ENTRIES[0]!.conversations[1]!.value)],
  ["sharegpt_000002", 0, tok.count(ENTRIES[2]!.conversations[1]!.value), tok.count(ENTRIES[2]!.conversations[2]!.value)],
  ["sharegpt_000002", 1, tok.count(ENTRIES[2]!.conversations[3]!.value), tok.count(ENTRIES[2]!.conversations[4]!.value)],
];

let dir = "";
let mock: MockServerHandle;
let hub: ReturnType<typeof Bun.serve>;
const hubRequests: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-public-"));
  mock = await startMockServer({ port: 0, ttftMs: 2, itlMs: 1 });
  const body = JSON.stringify(ENTRIES, null, 1);
  hub = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const path = new URL(req.url).pathname;
      hubRequests.push(path);
      if (path !== FILE_PATH) return new Response("not found", { status: 404 });
      return new Response(body, { headers: { "x-repo-commit": COMMIT, "content-type": "application/json" } });
    },
  });
});
afterAll(async () => {
  hub?.stop(true);
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const envFor = (home: string, extra: Record<string, string> = {}) => ({
  HF_HOME: join(dir, home),
  HF_ENDPOINT: `http://127.0.0.1:${hub.port}`,
  XDG_CACHE_HOME: join(dir, `${home}-xdg`),
  ...extra,
});
const argsFor = (artifacts: string, extra: string[] = []): string[] => [
  "profile",
  "-m",
  "mock-model",
  "-u",
  mock.url,
  "--streaming",
  "--tokenizer",
  "builtin",
  "--public-dataset",
  "sharegpt",
  "--concurrency",
  "1",
  "--request-count",
  "3",
  "--artifact-dir",
  artifacts,
  "--ui",
  "none",
  ...extra,
];
const turns = (rs: RequestRecord[]) =>
  [...rs]
    .sort((a, b) => a.request_index - b.request_index)
    .map((r) => [r.conversation_id, r.turn_index, r.input_tokens, r.requested_output_tokens, r.error === null]);
const expected = KEPT.map(([c, t, p, o]) => [c, t, p, o, true]);

describe("--public-dataset sharegpt", () => {
  test("downloads once into the Hugging Face cache, then runs offline from it", async () => {
    const io = fakeIo(dir, envFor("hf"));
    expect(await runCli(argsFor("dl"), COMMANDS, io)).toBe(0);
    const cached = join(
      dir,
      "hf",
      "hub",
      "datasets--anon8231489123--ShareGPT_Vicuna_unfiltered",
      "snapshots",
      COMMIT,
      "ShareGPT_V3_unfiltered_cleaned_split.json",
    );
    expect(existsSync(cached)).toBe(true);
    expect(hubRequests).toEqual([FILE_PATH]);
    expect(io.stderr.join("")).toContain("2 of 4 conversations pass the length filter");
    expect(turns(await runRecords(join(dir, "dl", "results.duckdb")))).toEqual(expected);
    // The token counts are kept for the next run (which then only parses the file).
    expect(readdirSync(join(dir, "hf-xdg", "llmbench", "sharegpt")).filter((f) => f.endsWith(".json")).length).toBe(1);

    const offline = fakeIo(dir, envFor("hf", { HF_HUB_OFFLINE: "1" }));
    expect(await runCli(argsFor("offline"), COMMANDS, offline)).toBe(0);
    expect(hubRequests.length).toBe(1);
    expect(turns(await runRecords(join(dir, "offline", "results.duckdb")))).toEqual(expected);
  }, 60_000);

  test("a local copy through --input-file, and AIPerf's ./.cache/aiperf/datasets copy", async () => {
    const local = join(dir, "local.json");
    writeFileSync(local, JSON.stringify(ENTRIES));
    const before = hubRequests.length;
    const io = fakeIo(dir, envFor("empty", { HF_HUB_OFFLINE: "1" }));
    expect(await runCli(argsFor("local", ["--input-file", local]), COMMANDS, io)).toBe(0);
    expect(turns(await runRecords(join(dir, "local", "results.duckdb")))).toEqual(expected);

    const cwd = join(dir, "aiperf-cwd");
    mkdirSync(join(cwd, ".cache", "aiperf", "datasets"), { recursive: true });
    writeFileSync(join(cwd, ".cache", "aiperf", "datasets", "ShareGPT_V3_unfiltered_cleaned_split.json"), JSON.stringify(ENTRIES));
    const io2 = fakeIo(cwd, envFor("empty", { HF_HUB_OFFLINE: "1" }));
    expect(await runCli(argsFor("aiperf-cache"), COMMANDS, io2)).toBe(0);
    expect(turns(await runRecords(join(cwd, "aiperf-cache", "results.duckdb")))).toEqual(expected);
    expect(hubRequests.length).toBe(before);
  }, 60_000);

  test("offline with no copy anywhere, or with --custom-dataset-type: one line, exit 2", async () => {
    const io = fakeIo(dir, envFor("none", { HF_HUB_OFFLINE: "1" }));
    expect(await runCli(argsFor("none"), COMMANDS, io)).toBe(2);
    expect(io.stderr.join("")).toContain(
      "--public-dataset sharegpt: anon8231489123/ShareGPT_Vicuna_unfiltered/ShareGPT_V3_unfiltered_cleaned_split.json is not in the Hugging Face cache",
    );
    const io2 = fakeIo(dir, envFor("none"));
    expect(await runCli(argsFor("none2", ["--input-file", "x.json", "--custom-dataset-type", "single_turn"]), COMMANDS, io2)).toBe(2);
    expect(io2.stderr.join("")).toContain("--public-dataset and --custom-dataset-type cannot be used together");
  }, 60_000);
});
