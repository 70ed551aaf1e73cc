// Cross-builds need another platform's DuckDB addon, which npm did not install on this host
// (optional dependency for a different os/cpu). Fetch that package's tarball from the npm registry.
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

export async function fetchBindingsPackage(target: string, version: string, cacheDir: string): Promise<string> {
  const dir = join(cacheDir, `node-bindings-${target}-${version}`);
  const pkgDir = join(dir, "package");
  if (existsSync(join(pkgDir, "duckdb.node"))) return pkgDir;
  mkdirSync(dir, { recursive: true });
  const spec = `@duckdb/node-bindings-${target}@${version}`;
  const pack = Bun.spawnSync(["npm", "pack", spec, "--pack-destination", dir, "--silent"], { stderr: "pipe" });
  if (pack.exitCode !== 0) throw new Error(`npm pack ${spec} failed: ${pack.stderr.toString().trim()}`);
  const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"));
  if (!tgz) throw new Error(`npm pack ${spec} produced no tarball in ${dir}`);
  const untar = Bun.spawnSync(["tar", "-xzf", join(dir, tgz), "-C", dir], { stderr: "pipe" });
  if (untar.exitCode !== 0) throw new Error(`extracting ${tgz} failed: ${untar.stderr.toString().trim()}`);
  return pkgDir;
}
