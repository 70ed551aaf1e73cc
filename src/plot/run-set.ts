// What `plot DIR...` names: one run (a directory holding results.duckdb, or the file), a sweep (a
// directory whose subdirectories hold runs, e.g. concurrency_0010/run_01), or several of either,
// compared side by side. Runs are found by walking down at most three levels.
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";

export interface FoundRun {
  /** The run's directory (where a single-run report goes). */
  dir: string;
  dbPath: string;
  /** Short name for legends: the path below the sweep or argument. */
  label: string;
  /** Runs with the same point are repeats of one load point. */
  point: string;
}

export type RunSet =
  | { mode: "single"; run: FoundRun; outDir: string }
  | { mode: "sweep"; runs: FoundRun[]; outDir: string }
  | { mode: "compare"; runs: FoundRun[]; outDir: string };

const DB = "results.duckdb";
const MAX_DEPTH = 3;

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Run directories below `root` (not `root` itself), sorted by path. */
export function runsBelow(root: string, depth = MAX_DEPTH): string[] {
  if (depth === 0) return [];
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(root).sort();
  } catch {
    return [];
  }
  for (const name of names) {
    const p = join(root, name);
    if (name.startsWith(".") || !isDir(p)) continue;
    if (existsSync(join(p, DB))) out.push(p);
    else out.push(...runsBelow(p, depth - 1));
  }
  return out;
}

/** A run found below `root`: repeats (root/point/run_NN) share their point directory. */
function sweepRun(root: string, dir: string): FoundRun {
  const rel = relative(root, dir);
  const parent = dirname(rel);
  return { dir, dbPath: join(dir, DB), label: rel, point: parent === "." ? rel : parent };
}

function singleRun(target: string): FoundRun {
  const file = !isDir(target);
  const dir = file ? dirname(target) : target;
  const label = basename(dir);
  return { dir, dbPath: file ? target : join(target, DB), label, point: label };
}

/** The deepest directory holding every path. */
function commonDir(paths: readonly string[]): string {
  const split = paths.map((p) => resolve(p).split("/"));
  const first = split[0] ?? [];
  let n = 0;
  while (n < first.length && split.every((s) => s[n] === first[n])) n++;
  return first.slice(0, n).join("/") || "/";
}

/**
 * Resolves the arguments; problems (one line per bad argument) go to `problems`. `outDir` overrides
 * where the report goes (default: the run or sweep directory; for a comparison, the runs' common parent).
 */
export function findRuns(targets: readonly string[], cwd: string, problems: string[], outDir?: string): RunSet | null {
  if (targets.length === 0) {
    problems.push("<DIR> is required: a run directory, a sweep directory, or several runs to compare");
    return null;
  }
  const groups: { target: string; runs: FoundRun[]; sweep: boolean }[] = [];
  for (const t of targets) {
    const abs = resolve(cwd, t);
    if (!existsSync(abs)) {
      problems.push(`${t}: no such directory or file`);
      continue;
    }
    if (!isDir(abs) || existsSync(join(abs, DB))) {
      if (!isDir(abs) && !abs.endsWith(".duckdb")) {
        problems.push(`${t}: not a run directory, sweep directory or .duckdb file`);
        continue;
      }
      groups.push({ target: t, runs: [singleRun(abs)], sweep: false });
      continue;
    }
    const below = runsBelow(abs);
    if (below.length === 0) {
      problems.push(`${t}: holds no results.duckdb (nor do its subdirectories, ${MAX_DEPTH} levels down)`);
      continue;
    }
    groups.push({ target: abs, runs: below.map((d) => sweepRun(abs, d)), sweep: true });
  }
  if (problems.length > 0) return null;
  const out = (dflt: string): string => (outDir === undefined ? dflt : resolve(cwd, outDir));
  if (groups.length === 1) {
    const g = groups[0]!;
    if (!g.sweep) return { mode: "single", run: g.runs[0]!, outDir: out(g.runs[0]!.dir) };
    return { mode: "sweep", runs: g.runs, outDir: out(g.target) };
  }
  // Several arguments: every run is its own entry, named by the argument (and its path below it).
  const runs = groups.flatMap((g) =>
    g.runs.map((r) => {
      const label = g.sweep ? `${basename(g.target)}/${r.label}` : r.label;
      return { ...r, label, point: label };
    }),
  );
  const labels = new Set<string>();
  for (const r of runs) {
    // Two runs with the same directory name (a/run, b/run): name them by their full relative path.
    if (labels.has(r.label)) r.label = r.point = relative(cwd, r.dir) || r.dir;
    labels.add(r.label);
  }
  return { mode: "compare", runs, outDir: out(commonDir(runs.map((r) => r.dir))) };
}
