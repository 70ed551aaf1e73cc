// `plot` and `--auto-plot`: the runs' report.html and one PNG per chart (plots/<chart>.png) in the
// run or sweep directory. Charts are built once and written twice (SVG into the page, pixels to PNG).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withRunsQuery } from "../store/read-db.ts";
import { chartFont, fontBytes } from "./font.ts";
import { encodePng } from "./png.ts";
import { rasterize } from "./raster.ts";
import { reportHtml, type ReportModel } from "./report-html.ts";
import { runReport } from "./run-report.ts";
import { type FoundRun, findRuns, type RunSet } from "./run-set.ts";
import { setReport } from "./set-report.ts";
import type { Query } from "./sql.ts";

export interface PlotOptions {
  /** Write PNG files too (default true). */
  png?: boolean;
  /** PNG pixels per chart unit (charts are 720 x 360 units). */
  pngScale?: number;
}

export interface PlotOutput {
  reportPath: string;
  pngPaths: string[];
  charts: number;
  /** Wall time of the queries, of the HTML and of the PNGs, ms. */
  timings: { queriesMs: number; htmlMs: number; pngMs: number };
}

/** Every query of one run on one connection: the file is attached once, not once per query. */
export const withRun = <T>(run: FoundRun, fn: (q: Query) => Promise<T>): Promise<T> => withRunsQuery([run.dbPath], fn);

export async function buildModel(set: RunSet): Promise<ReportModel> {
  if (set.mode === "single") return withRun(set.run, (q) => runReport(q, set.run.label));
  return setReport(set.runs, set.mode, withRun);
}

/** The report of a run or sweep directory (what --auto-plot writes). */
export function plotDir(dir: string, opts: PlotOptions = {}): Promise<PlotOutput> {
  const problems: string[] = [];
  const set = findRuns([dir], dir, problems);
  if (set === null) throw new Error(problems.join("; "));
  return writeReport(set, opts);
}

export async function writeReport(set: RunSet, opts: PlotOptions = {}): Promise<PlotOutput> {
  const t0 = performance.now();
  const model = await buildModel(set);
  const t1 = performance.now();
  mkdirSync(set.outDir, { recursive: true });
  const reportPath = join(set.outDir, "report.html");
  writeFileSync(reportPath, reportHtml(model, Buffer.from(fontBytes()).toString("base64")));
  const t2 = performance.now();
  const pngPaths: string[] = [];
  const scenes = model.sections.flatMap((s) => s.charts);
  if (opts.png !== false && scenes.length > 0) {
    const dir = join(set.outDir, "plots");
    mkdirSync(dir, { recursive: true });
    const font = chartFont();
    for (const scene of scenes) {
      const path = join(dir, `${scene.id}.png`);
      writeFileSync(path, encodePng(rasterize(scene, font, opts.pngScale ?? 2)));
      pngPaths.push(path);
    }
  }
  const t3 = performance.now();
  return { reportPath, pngPaths, charts: scenes.length, timings: { queriesMs: t1 - t0, htmlMs: t2 - t1, pngMs: t3 - t2 } };
}
