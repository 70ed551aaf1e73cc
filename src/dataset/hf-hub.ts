// Tokenizers by Hugging Face model id: from the local HF cache (HF_HUB_CACHE, else HF_HOME/hub, else
// ~/.cache/huggingface/hub; the huggingface_hub layout models--org--name/{refs,snapshots}), or
// downloaded from the hub (HF_ENDPOINT, HF_TOKEN) into that same cache so the next run is offline.
// HF_HUB_OFFLINE=1 forbids the download. Dataset files (hubDatasetFile) use the same cache, under
// datasets--org--name, and are streamed to disk as they download.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { TokenizerFiles, TokenizerHubResolver } from "./tokenizer.ts";

export type HubEnv = Record<string, string | undefined>;

const DEFAULT_ENDPOINT = "https://huggingface.co";
const DOWNLOAD_TIMEOUT_MS = 60_000;
const REPO_ID = /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/;
const COMMIT = /^[0-9a-f]{40}$/;

export function hubCacheDir(env: HubEnv): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  const home = env.HF_HOME ?? join(env.XDG_CACHE_HOME ?? join(env.HOME ?? homedir(), ".cache"), "huggingface");
  return join(home, "hub");
}

const isOffline = (env: HubEnv) => ["1", "true", "yes", "on"].includes((env.HF_HUB_OFFLINE ?? "").toLowerCase());

/** The cached snapshot's files for `repo` at `revision`, if there. */
function findInCache(cache: string, repo: string, revision: string): TokenizerFiles | undefined {
  const repoDir = join(cache, `models--${repo.replace(/\//g, "--")}`);
  let commit = revision;
  if (!COMMIT.test(revision)) {
    const ref = join(repoDir, "refs", revision);
    if (!existsSync(ref)) return undefined;
    commit = readFileSync(ref, "utf8").trim();
  }
  const snap = join(repoDir, "snapshots", commit);
  const tokenizerJson = join(snap, "tokenizer.json");
  if (!existsSync(tokenizerJson)) return undefined;
  const config = join(snap, "tokenizer_config.json");
  return existsSync(config) ? { tokenizerJson, tokenizerConfig: config } : { tokenizerJson };
}

function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export interface HubOptions {
  env: HubEnv;
  revision: string;
  fetchFn?: typeof fetch;
}

const MAX_REDIRECTS = 5;

/**
 * GET with redirects followed by hand: the hub names the commit (x-repo-commit) on its own answer, and
 * large (LFS) files redirect to a CDN whose answer does not; the token is not sent to another origin.
 */
async function hubGet(
  fetchFn: typeof fetch,
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<{ res: Response; commit: string | null }> {
  let at = url;
  let commit: string | null = null;
  for (let hops = 0; ; hops++) {
    const sameOrigin = new URL(at).origin === new URL(url).origin;
    const res = await fetchFn(at, { headers: sameOrigin ? headers : {}, signal, redirect: "manual" });
    commit ??= res.headers.get("x-repo-commit");
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || location === null || hops >= MAX_REDIRECTS) return { res, commit };
    at = new URL(location, at).href;
  }
}

export function createHubResolver(o: HubOptions): TokenizerHubResolver {
  const fetchFn = o.fetchFn ?? fetch;
  return async (spec) => {
    if (!REPO_ID.test(spec)) return undefined;
    const cache = hubCacheDir(o.env);
    const cached = findInCache(cache, spec, o.revision);
    if (cached) return cached;
    if (isOffline(o.env)) {
      throw new Error(
        `--tokenizer ${spec}: not in the Hugging Face cache at ${cache} and HF_HUB_OFFLINE is set; download it once online, or use --tokenizer builtin`,
      );
    }
    const endpoint = (o.env.HF_ENDPOINT ?? DEFAULT_ENDPOINT).replace(/\/+$/, "");
    const headers: Record<string, string> = o.env.HF_TOKEN ? { authorization: `Bearer ${o.env.HF_TOKEN}` } : {};
    const get = async (file: string): Promise<{ body: Uint8Array; commit: string | null } | null> => {
      const url = `${endpoint}/${spec}/resolve/${encodeURIComponent(o.revision)}/${file}`;
      let res: Response;
      let commit: string | null;
      try {
        ({ res, commit } = await hubGet(fetchFn, url, headers, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)));
      } catch (e) {
        throw new Error(
          `--tokenizer ${spec}: cannot reach ${endpoint} (${e instanceof Error ? e.message : String(e)}); set HF_ENDPOINT, or use --tokenizer builtin or a local tokenizer.json`,
        );
      }
      if (res.status === 404) return null;
      if (!res.ok) {
        const hint = res.status === 401 || res.status === 403 ? " (gated or private: set HF_TOKEN)" : "";
        throw new Error(`--tokenizer ${spec}: HTTP ${res.status} from ${url}${hint}`);
      }
      return { body: new Uint8Array(await res.arrayBuffer()), commit };
    };
    const tok = await get("tokenizer.json");
    if (tok === null) {
      throw new Error(
        `--tokenizer ${spec}: ${endpoint} has no tokenizer.json for ${spec} at revision ${o.revision}; check the model id and --tokenizer-revision, or use --tokenizer builtin`,
      );
    }
    const config = await get("tokenizer_config.json");
    const commit = tok.commit && COMMIT.test(tok.commit) ? tok.commit : COMMIT.test(o.revision) ? o.revision : null;
    const repoDir = join(cache, `models--${spec.replace(/\//g, "--")}`);
    // Without a commit id from the server, the revision name stands in as the snapshot name.
    const snapName = commit ?? o.revision;
    const snap = join(repoDir, "snapshots", snapName);
    mkdirSync(snap, { recursive: true });
    writeAtomic(join(snap, "tokenizer.json"), tok.body);
    if (config) writeAtomic(join(snap, "tokenizer_config.json"), config.body);
    if (!COMMIT.test(o.revision)) {
      mkdirSync(join(repoDir, "refs"), { recursive: true });
      writeAtomic(join(repoDir, "refs", o.revision), snapName);
    }
    return findInCache(cache, spec, o.revision);
  };
}

/** A file of a Hugging Face dataset repo. */
export interface HubDatasetFile {
  repo: string;
  revision: string;
  file: string;
  /** Names what asked for it in messages, e.g. "--public-dataset sharegpt". */
  what: string;
}

/** A download that received nothing for this long is abandoned. */
const STALL_TIMEOUT_MS = 60_000;

/** The cached copy of a dataset file, or undefined. */
export function cachedHubDatasetFile(env: HubEnv, f: HubDatasetFile): string | undefined {
  const repoDir = join(hubCacheDir(env), `datasets--${f.repo.replace(/\//g, "--")}`);
  let commit = f.revision;
  if (!COMMIT.test(commit)) {
    const ref = join(repoDir, "refs", f.revision);
    if (!existsSync(ref)) return undefined;
    commit = readFileSync(ref, "utf8").trim();
  }
  const path = join(repoDir, "snapshots", commit, f.file);
  return existsSync(path) ? path : undefined;
}

/**
 * A dataset file from the cache, else downloaded once into it (streamed to a temporary file, renamed
 * into place when complete, so a cut download never looks cached). Errors are one line naming `what`.
 */
export async function hubDatasetFile(env: HubEnv, f: HubDatasetFile, fetchFn: typeof fetch = fetch): Promise<string> {
  const cached = cachedHubDatasetFile(env, f);
  if (cached) return cached;
  const cache = hubCacheDir(env);
  if (isOffline(env)) {
    throw new Error(
      `${f.what}: ${f.repo}/${f.file} is not in the Hugging Face cache at ${cache} and HF_HUB_OFFLINE is set; download it once online, or give a local copy with --input-file`,
    );
  }
  const endpoint = (env.HF_ENDPOINT ?? DEFAULT_ENDPOINT).replace(/\/+$/, "");
  const url = `${endpoint}/datasets/${f.repo}/resolve/${encodeURIComponent(f.revision)}/${f.file}`;
  const headers: Record<string, string> = env.HF_TOKEN ? { authorization: `Bearer ${env.HF_TOKEN}` } : {};
  const ac = new AbortController();
  let stall = setTimeout(() => ac.abort(), STALL_TIMEOUT_MS);
  const cannot = (e: unknown): Error =>
    new Error(
      `${f.what}: cannot download ${url} (${ac.signal.aborted ? `nothing received for ${STALL_TIMEOUT_MS / 1000} s` : e instanceof Error ? e.message : String(e)}); set HF_ENDPOINT, or give a local copy with --input-file`,
    );
  let res: Response;
  let header: string | null;
  try {
    ({ res, commit: header } = await hubGet(fetchFn, url, headers, ac.signal));
  } catch (e) {
    clearTimeout(stall);
    throw cannot(e);
  }
  if (!res.ok || res.body === null) {
    clearTimeout(stall);
    const hint = res.status === 401 || res.status === 403 ? " (gated or private: set HF_TOKEN)" : "";
    throw new Error(`${f.what}: HTTP ${res.status} from ${url}${hint}`);
  }
  const snapName = header && COMMIT.test(header) ? header : f.revision;
  const repoDir = join(cache, `datasets--${f.repo.replace(/\//g, "--")}`);
  const snap = join(repoDir, "snapshots", snapName);
  mkdirSync(snap, { recursive: true });
  const path = join(snap, f.file);
  const tmp = `${path}.${process.pid}.incomplete`;
  // A body shorter than its Content-Length makes the read throw (Bun's fetch), so a cut download ends below.
  const fd = openSync(tmp, "w");
  try {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      clearTimeout(stall);
      stall = setTimeout(() => ac.abort(), STALL_TIMEOUT_MS);
      for (let off = 0; off < value.length; ) off += writeSync(fd, value, off);
    }
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw cannot(e);
  } finally {
    clearTimeout(stall);
  }
  closeSync(fd);
  renameSync(tmp, path);
  if (!COMMIT.test(f.revision)) {
    mkdirSync(join(repoDir, "refs"), { recursive: true });
    writeAtomic(join(repoDir, "refs", f.revision), snapName);
  }
  return path;
}
