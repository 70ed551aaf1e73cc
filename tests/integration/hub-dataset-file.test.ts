// Dataset files from a stand-in Hugging Face hub (no network): the cache layout, redirects to a CDN (as
// the hub answers for large files, tokenizers included), a cut download never cached, one-line errors.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cachedHubDatasetFile, createHubResolver, hubDatasetFile } from "../../src/dataset/hf-hub.ts";

const COMMIT = "00112233445566778899aabbccddeeff00112233";
const BODY = JSON.stringify([{ id: "x", conversations: [] }]);
let dir = "";
const seenAuth: (string | null)[] = [];
let hub: ReturnType<typeof Bun.serve>;
/** Answers with a Content-Length larger than what it sends, then closes. */
let cut: Bun.TCPSocketListener<undefined>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-hubfile-"));
  hub = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const path = new URL(req.url).pathname;
      if (path === "/datasets/org/data/resolve/main/d.json") return new Response(BODY, { headers: { "x-repo-commit": COMMIT } });
      // As the hub does for large (LFS) files: the commit on the redirect, the bytes from a CDN path.
      if (path === "/datasets/org/big/resolve/main/d.json") {
        seenAuth.push(req.headers.get("authorization"));
        return new Response(null, { status: 302, headers: { location: "/cdn/blob?sig=1", "x-repo-commit": COMMIT } });
      }
      if (path === "/cdn/blob") return new Response(BODY);
      if (path === "/acme/lfs/resolve/main/tokenizer.json")
        return new Response(null, { status: 302, headers: { location: "/cdn/blob", "x-repo-commit": COMMIT } });
      return new Response("nope", { status: 404 });
    },
  });
  cut = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket) {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nContent-Type: application/json\r\n\r\n[{"id":');
        socket.end();
      },
    },
  });
});
afterAll(() => {
  hub?.stop(true);
  cut?.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

const file = { repo: "org/data", revision: "main", file: "d.json", what: "--public-dataset test" };

describe("hubDatasetFile", () => {
  test("downloads into datasets--org--name/snapshots/<commit>, with refs/main; then served from the cache", async () => {
    const env = { HF_HOME: join(dir, "a"), HF_ENDPOINT: `http://127.0.0.1:${hub.port}` };
    const path = await hubDatasetFile(env, file);
    expect(path).toBe(join(dir, "a", "hub", "datasets--org--data", "snapshots", COMMIT, "d.json"));
    expect(readFileSync(path, "utf8")).toBe(BODY);
    expect(readFileSync(join(dir, "a", "hub", "datasets--org--data", "refs", "main"), "utf8")).toBe(COMMIT);
    expect(cachedHubDatasetFile({ ...env, HF_HUB_OFFLINE: "1" }, file)).toBe(path);
    expect(await hubDatasetFile({ ...env, HF_ENDPOINT: "http://127.0.0.1:9" }, file)).toBe(path);
  });

  test("a redirect to a CDN: the commit is taken from the hub's own answer", async () => {
    const env = { HF_HOME: join(dir, "r"), HF_ENDPOINT: `http://127.0.0.1:${hub.port}`, HF_TOKEN: "hf_t" };
    const path = await hubDatasetFile(env, { ...file, repo: "org/big" });
    expect(path).toBe(join(dir, "r", "hub", "datasets--org--big", "snapshots", COMMIT, "d.json"));
    expect(readFileSync(path, "utf8")).toBe(BODY);
    expect(seenAuth).toEqual(["Bearer hf_t"]);
  });

  test("a tokenizer.json behind a redirect is cached under the hub's commit too", async () => {
    const env = { HF_HOME: join(dir, "t"), HF_ENDPOINT: `http://127.0.0.1:${hub.port}` };
    const files = await createHubResolver({ env, revision: "main" })("acme/lfs");
    expect(files?.tokenizerJson).toBe(join(dir, "t", "hub", "models--acme--lfs", "snapshots", COMMIT, "tokenizer.json"));
  });

  test("a cut download is an error and leaves nothing in the cache", async () => {
    const env = { HF_HOME: join(dir, "b"), HF_ENDPOINT: `http://127.0.0.1:${cut.port}` };
    await expect(hubDatasetFile(env, file)).rejects.toThrow(
      /^--public-dataset test: cannot download http:\/\/127\.0\.0\.1:\d+\/datasets\/org\/data\/resolve\/main\/d\.json/,
    );
    expect(cachedHubDatasetFile(env, file)).toBeUndefined();
    const snaps = join(dir, "b", "hub", "datasets--org--data", "snapshots");
    const left = existsSync(snaps) ? readdirSync(snaps).flatMap((s) => readdirSync(join(snaps, s))) : [];
    expect(left).toEqual([]);
  });

  test("404 and offline: one line naming what asked", async () => {
    const env = { HF_HOME: join(dir, "c"), HF_ENDPOINT: `http://127.0.0.1:${hub.port}` };
    await expect(hubDatasetFile(env, { ...file, file: "missing.json" })).rejects.toThrow(/^--public-dataset test: HTTP 404 from /);
    await expect(hubDatasetFile({ ...env, HF_HUB_OFFLINE: "1" }, file)).rejects.toThrow(/HF_HUB_OFFLINE is set/);
  });
});
