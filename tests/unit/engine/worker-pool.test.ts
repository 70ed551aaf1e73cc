import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evenSplit, sharesPack, startCountWorkers } from "../../../src/engine/worker-pool.ts";

// Preconnected sockets split over workers: every worker gets a part, earlier ones the remainder.
test.each([
  [8, 1, [8]],
  [10, 4, [3, 3, 2, 2]],
  [3, 5, [1, 1, 1, 0, 0]],
  [0, 2, [0, 0]],
])("evenSplit(%d, %d parts)", (total, n, want) => {
  expect(evenSplit(total, n)).toEqual(want);
  expect(evenSplit(total, n).reduce((a, b) => a + b, 0)).toBe(total);
});

// The count workers get the file of the main thread's tokenizer pack when there is one, not a copy of
// the pack (~5 MB, which stayed on both threads for the run).
test("a count worker's init names the pack file, or carries the pack when there is no file", () => {
  for (const tokenizer of [
    { spec: "builtin", packed: null, packFile: "/cache/builtin.pack" },
    { spec: "/models/t/tokenizer.json", packed: new TextEncoder().encode('{"format":1}\n...'), packFile: null },
  ]) {
    const sent: unknown[] = [];
    const fake = { postMessage: (m: unknown) => sent.push(m), unref: () => {}, addEventListener: () => {}, onerror: null } as unknown as Worker;
    const { workers } = startCountWorkers(
      1,
      tokenizer,
      () => fake,
      () => {},
    );
    expect(workers.length).toBe(1);
    expect(sent[0]).toEqual({ type: "init", tokenizer: tokenizer.spec, packed: tokenizer.packed, packFile: tokenizer.packFile });
  }
});

// Several count workers view one copy of a pack file in shared memory; one reads the file itself, and
// a file that cannot be read is left to each worker, as before.
test("several count workers get one pack in a SharedArrayBuffer; one count worker gets the file", () => {
  const dir = mkdtempSync(join(tmpdir(), "llmbench-shared-pack-"));
  try {
    const file = join(dir, "t.pack");
    writeFileSync(file, '{"format":4}\n...');
    const inits = (loadWorkers: number, packFile: string): { packed: Uint8Array | null; packFile: string | null }[] => {
      const sent: { type: string; packed: Uint8Array | null; packFile: string | null }[] = [];
      const fake = () => ({ postMessage: (m: never) => sent.push(m), unref: () => {}, addEventListener: () => {}, onerror: null }) as unknown as Worker;
      startCountWorkers(loadWorkers, { spec: "t", packFile, packed: null }, fake, () => {});
      return sent.filter((m) => m.type === "init");
    };
    const several = inits(5, file);
    expect(several.length).toBe(2);
    expect(several.map((m) => m.packFile)).toEqual([null, null]);
    expect(several[0]!.packed!.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(several[1]!.packed!.buffer).toBe(several[0]!.packed!.buffer);
    expect(Buffer.from(several[0]!.packed!).equals(readFileSync(file))).toBe(true);
    expect(inits(4, file)).toEqual([{ type: "init", tokenizer: "t", packed: null, packFile: file }] as never);
    const missing = join(dir, "missing.pack");
    expect(inits(5, missing).map((m) => [m.packed, m.packFile])).toEqual([
      [null, missing],
      [null, missing],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.each([
  [2, "/cache/t.pack", true],
  [1, "/cache/t.pack", false],
  [2, null, false],
])("sharesPack(%i count workers, file %p) = %p (from source: no pack inside a binary)", (countWorkers, packFile, want) => {
  expect(sharesPack(countWorkers, { packFile, packed: null })).toBe(want);
});
