// LineWriter: lines reach the file whole, in order, as UTF-8, however long; a failed write is told once,
// the file keeps only whole lines, and nothing more is written.
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LineWriter } from "../../../src/store/line-writer.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempFile = (): string => {
  const d = mkdtempSync(join(tmpdir(), "llmbench-lines-"));
  dirs.push(d);
  return join(d, "out.jsonl");
};

describe("LineWriter", () => {
  const cases: [string, string[]][] = [
    ["plain lines, newline added", ["a", "bb", "ccc"]],
    ["a line that already ends in a newline gets no second one", ["x\n", "y"]],
    ["empty lines", ["", "", "z"]],
    ["multi-byte UTF-8: accents, CJK, emoji (surrogate pairs)", ["café", "日本語のテキスト", "🙂🚀 end", "é".repeat(1000)]],
    ["a lone surrogate becomes U+FFFD, as Buffer.from writes it", ["bad \ud800 half"]],
    ["lines past the 1 MiB mark: written before the buffer fills", Array.from({ length: 3000 }, (_, i) => `${i}:${"x".repeat(1000)}`)],
    ["a line that outgrows the first buffer but fits the largest (300,000 units of 3-byte characters)", ["head", "€".repeat(300_000), "tail"]],
    ["one line longer than the largest buffer (4 Mi units of 3-byte characters): written on its own, in order", ["head", "€".repeat(4 << 20), "tail"]],
  ];
  for (const [what, lines] of cases) {
    test(what, async () => {
      const path = tempFile();
      const w = new LineWriter(path);
      for (const l of lines) w.write(l);
      await w.close();
      const want = lines.map((l) => (l.endsWith("\n") ? l : `${l}\n`)).join("");
      const got = readFileSync(path);
      expect(got.length).toBe(Buffer.byteLength(want, "utf8"));
      expect(got.equals(Buffer.from(want, "utf8"))).toBe(true);
    });
  }

  test("flush writes what is buffered now; later lines follow it", () => {
    const path = tempFile();
    const w = new LineWriter(path);
    w.write("one");
    expect(readFileSync(path, "utf8")).toBe("");
    expect(w.flush()).toBe(true);
    expect(readFileSync(path, "utf8")).toBe("one\n");
    w.write("two");
    w.flush();
    expect(readFileSync(path, "utf8")).toBe("one\ntwo\n");
    return w.close();
  });

  test("a failed write (disk full: /dev/full) is told once; later writes and flushes do nothing", async () => {
    const errors: string[] = [];
    const w = new LineWriter("/dev/full", (e, path) => errors.push(`${path}: ${e.message}`));
    w.write("first");
    expect(w.flush()).toBe(false);
    w.write("second");
    expect(w.flush()).toBe(false);
    for (let i = 0; i < 2000; i++) w.write("x".repeat(1000)); // past the high-water mark: no new write
    await w.close();
    expect(errors.length).toBe(1);
    expect(errors[0]).toContain("/dev/full");
    expect(errors[0]).toMatch(/ENOSPC|space/i);
  });
});
