// Writes the report and tells the user where it went (stderr, one line); a run still being written
// or a file that is not a run becomes one clear error line, not a stack trace.
import { relative } from "node:path";
import type { Io } from "../runtime/io.ts";
import { RunBusyError } from "../store/read-db.ts";
import type { RunSet } from "./run-set.ts";
import { type PlotOptions, type PlotOutput, writeReport } from "./write-report.ts";

export async function plotAndSay(set: RunSet, io: Io, opts: PlotOptions = {}): Promise<PlotOutput> {
  let out: PlotOutput;
  try {
    out = await writeReport(set, opts);
  } catch (e) {
    if (e instanceof RunBusyError) throw new Error(e.message);
    throw new Error(`plot: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
  }
  const rel = relative(io.cwd, out.reportPath) || out.reportPath;
  const pngs = out.pngPaths.length > 0 ? ` and ${out.pngPaths.length} PNG files in ${relative(io.cwd, `${set.outDir}/plots`) || "plots"}` : "";
  const ms = out.timings.queriesMs + out.timings.htmlMs + out.timings.pngMs;
  io.err(`wrote ${rel} (${out.charts} charts)${pngs} in ${(ms / 1000).toFixed(1)} s\n`);
  return out;
}
