// Paired runs (this build and arm B, alternating): in how many pairs this build's figure was lower, and
// the arms' binaries made of one age.
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** `KEY=VALUE KEY=VALUE` (an arm's added variables, from the variable `name`) as an environment. */
export function envOf(spec: string, name: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const kv of spec.split(" ").filter((x) => x !== "")) {
    const eq = kv.indexOf("=");
    if (eq < 1) throw new Error(`${name}: expected KEY=VALUE, got ${kv}`);
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return env;
}

/** The middle value of `xs` (the upper of the two middle ones for an even count). */
export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The arms in the order round `round` (from 0) runs them: as given in even rounds, reversed in odd ones.
 * Run in one order every round, the arm run second came out ahead at 100 streams in 8 of 10 pairs of a
 * change that made no difference (3 of 6 once the order was swapped): the order is part of the pair.
 */
export function pairOrder<T>(arms: readonly T[], round: number): readonly T[] {
  return round % 2 === 0 ? arms : [...arms].reverse();
}

/** "N of M": pairs (mine[i], theirs[i]) where f(mine) < f(theirs). */
export function lowerInPairs<T>(mine: readonly T[], theirs: readonly T[], f: (x: T) => number): string {
  return `${mine.filter((x, i) => f(x) < f(theirs[i]!)).length} of ${mine.length}`;
}

/**
 * The arms' binaries copied afresh into one new directory, so that they are of one age: a binary written
 * minutes before peaked 3-4 MiB higher than a byte-identical one written half an hour before (1, 4 and 8
 * workers, 6 of 6 pairs each), and side by side the two copies measured alike. A `.ts` entry (a checkout
 * run by bun) is used as given; one binary named twice is copied once. `cleanup` removes the copies.
 */
export function sameAgeBinaries(mains: readonly string[]): { mains: string[]; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "llmbench-pair-bins-"));
  const copies = new Map<string, string>();
  const out = mains.map((m) => {
    if (m.endsWith(".ts")) return m;
    let copy = copies.get(m);
    if (copy === undefined) {
      copy = join(dir, `arm-${copies.size}`);
      copyFileSync(m, copy);
      chmodSync(copy, 0o755);
      copies.set(m, copy);
    }
    return copy;
  });
  return { mains: out, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
