import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync, chmodSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { cacheRoot, extractOnce, extractWithFallback, privateTempRoot } from "../../../src/store/native-addon-cache.ts";

function sourceFiles(dir: string, sizeBytes: number) {
  const a = join(dir, "a.bin");
  const b = join(dir, "b.bin");
  writeFileSync(a, Buffer.alloc(sizeBytes, 1));
  writeFileSync(b, Buffer.alloc(sizeBytes, 2));
  return [
    { name: "addon.node", embeddedPath: a },
    { name: "lib.so", embeddedPath: b },
  ];
}

describe("native addon cache", () => {
  test("cache root honours XDG_CACHE_HOME, then HOME", () => {
    expect(cacheRoot({ XDG_CACHE_HOME: "/x" })).toBe("/x/llmbench");
    expect(cacheRoot({ HOME: "/home/u" })).toBe("/home/u/.cache/llmbench");
  });

  test("extracts once, then reuses the complete copy", () => {
    const tmp = mkdtempSync(join(tmpdir(), "llmb-cache-"));
    const files = sourceFiles(tmp, 1000);
    const dir = extractOnce(join(tmp, "root"), "duckdb-1", files);
    expect(readFileSync(join(dir, "addon.node")).length).toBe(1000);
    expect(readFileSync(join(dir, "lib.so"))[0]).toBe(2);
    // A second call must not rewrite: change the source, the cache keeps the first copy.
    writeFileSync(files[0]!.embeddedPath, Buffer.alloc(10, 9));
    extractOnce(join(tmp, "root"), "duckdb-1", files);
    expect(readFileSync(join(dir, "addon.node")).length).toBe(1000);
    expect(readdirSync(join(tmp, "root"))).toEqual(["duckdb-1"]); // no temp dirs left behind
  });

  test("a partial dir without the completion marker is replaced", () => {
    const tmp = mkdtempSync(join(tmpdir(), "llmb-cache-"));
    const files = sourceFiles(tmp, 100);
    mkdirSync(join(tmp, "root", "duckdb-1"), { recursive: true });
    writeFileSync(join(tmp, "root", "duckdb-1", "addon.node"), "half");
    const dir = extractOnce(join(tmp, "root"), "duckdb-1", files);
    expect(readFileSync(join(dir, "addon.node")).length).toBe(100);
  });

  test("processes racing to extract all end with a complete, identical copy", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "llmb-cache-"));
    sourceFiles(tmp, 8 * 1024 * 1024);
    const mod = resolve(import.meta.dir, "../../../src/store/native-addon-cache.ts");
    const script = join(tmp, "race.ts");
    writeFileSync(
      script,
      `import { extractOnce } from ${JSON.stringify(mod)};
       const d = extractOnce(${JSON.stringify(join(tmp, "root"))}, "duckdb-1", [
         { name: "addon.node", embeddedPath: ${JSON.stringify(join(tmp, "a.bin"))} },
         { name: "lib.so", embeddedPath: ${JSON.stringify(join(tmp, "b.bin"))} }]);
       console.log(d);`,
    );
    const procs = Array.from({ length: 6 }, () => Bun.spawn([process.execPath, script], { stdout: "pipe", stderr: "pipe" }));
    const codes = await Promise.all(procs.map((p) => p.exited));
    const errs = await Promise.all(procs.map((p) => new Response(p.stderr).text()));
    expect(errs.join("")).toBe("");
    expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
    const dir = join(tmp, "root", "duckdb-1");
    expect(readFileSync(join(dir, "addon.node")).equals(readFileSync(join(tmp, "a.bin")))).toBe(true);
    expect(readFileSync(join(dir, "lib.so")).equals(readFileSync(join(tmp, "b.bin")))).toBe(true);
    expect(readdirSync(join(tmp, "root"))).toEqual(["duckdb-1"]);
  });

  test("an unwritable cache dir (HOME under a regular file: fails even as root) falls back, with one note", () => {
    const tmp = mkdtempSync(join(tmpdir(), "llmb-cache-"));
    const files = sourceFiles(tmp, 100);
    writeFileSync(join(tmp, "not-a-dir"), "x");
    const primary = cacheRoot({ HOME: join(tmp, "not-a-dir", "home") });
    const notes: string[] = [];
    const fallback = join(tmp, "fallback");
    const dir = extractWithFallback(
      primary,
      "duckdb-1",
      files,
      (l) => notes.push(l),
      () => fallback,
    );
    expect(dir).toBe(join(fallback, "duckdb-1"));
    expect(readFileSync(join(dir, "addon.node")).length).toBe(100);
    expect(notes).toEqual([`llmbench: note: cannot write the cache dir ${primary} (ENOTDIR); using ${fallback} (set XDG_CACHE_HOME to choose)`]);
  });

  test("a writable cache dir is used without a note", () => {
    const tmp = mkdtempSync(join(tmpdir(), "llmb-cache-"));
    const notes: string[] = [];
    const dir = extractWithFallback(
      join(tmp, "root"),
      "duckdb-1",
      sourceFiles(tmp, 10),
      (l) => notes.push(l),
      () => "/nowhere",
    );
    expect(dir).toBe(join(tmp, "root", "duckdb-1"));
    expect(notes).toEqual([]);
  });

  test("the temp fallback is <tmp>/llmbench-<uid>, mode 0700, reused while it is a private dir of ours", () => {
    const base = mkdtempSync(join(tmpdir(), "llmb-tmp-"));
    const uid = process.getuid!();
    const root = privateTempRoot(base, uid);
    expect(root).toBe(join(base, `llmbench-${uid}`));
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(privateTempRoot(base, uid)).toBe(root);
  });

  test("a temp fallback name someone else got first (link, open dir, other owner) is not used", () => {
    const uid = process.getuid!();
    const squatted: [string, (path: string) => void, number][] = [
      ["symlink", (p) => symlinkSync(mkdtempSync(join(tmpdir(), "llmb-target-")), p), uid],
      ["world-writable dir", (p) => (mkdirSync(p), chmodSync(p, 0o777)), uid],
      ["dir of another user", (p) => mkdirSync(p, { mode: 0o700 }), uid + 4242],
    ];
    for (const [, squat, asUid] of squatted) {
      const base = mkdtempSync(join(tmpdir(), "llmb-tmp-"));
      squat(join(base, `llmbench-${asUid}`));
      const root = privateTempRoot(base, asUid);
      expect(root.startsWith(join(base, `llmbench-${asUid}-`))).toBe(true);
      expect(statSync(root).mode & 0o777).toBe(0o700);
    }
    expect(squatted.length).toBe(3);
  });
});
