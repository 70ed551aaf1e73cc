// profile_export_aiperf_timeslices.csv / .json in AIPerf's layouts: the CSV is long-form
// (Timeslice,Metric,Unit,Stat,Value; CRLF; slices ascending, metrics by tag, stats in AIPerf's order,
// `.2f` values); the JSON lists each slice's metric blocks like the summary JSON.
import type { MetricResult, Summary } from "../metrics/summary.ts";
import { jsonMetricBlock } from "./profile-json.ts";
import { csvField } from "./profile-csv.ts";
import { formatFixed2 } from "./py-format.ts";
import { dumpPyJson, pyFloat, type PyJsonValue } from "./py-json.ts";

/** A server-side figure of one slice (a server gauge, the GPUs' power), keyed by its metric name. */
export interface SliceExtraStat {
  unit: string;
  avg: number;
  min: number;
  max: number;
}

export interface SliceSummary {
  index: number;
  summary: Summary;
  /** Server metrics and GPU telemetry over the slice (llmbench's; after the request metrics). */
  extra?: Record<string, SliceExtraStat>;
}

const extraRows = (s: SliceSummary): [string, SliceExtraStat][] => Object.entries(s.extra ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const CRLF = "\r\n";
const byTag = (a: MetricResult, b: MetricResult) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0);

/** (stat, value) pairs in AIPerf's STAT_KEYS order, leaving out the ones a metric does not have. */
function stats(m: MetricResult): [string, number][] {
  const out: [string, number][] = [["avg", m.avg]];
  if (m.min !== null) out.push(["min", m.min]);
  if (m.max !== null) out.push(["max", m.max]);
  if (m.sum !== null) out.push(["sum", m.sum]);
  for (const p of m.percentiles) out.push([p.key, p.value]);
  if (m.std !== null) out.push(["std", m.std]);
  return out;
}

export function timeslicesCsv(slices: readonly SliceSummary[]): string {
  let out = `Timeslice,Metric,Unit,Stat,Value${CRLF}`;
  for (const s of slices) {
    for (const m of [...s.summary.metrics].sort(byTag)) {
      for (const [stat, v] of stats(m)) {
        out += [String(s.index), csvField(m.header), csvField(m.unit), stat, formatFixed2(v)].join(",") + CRLF;
      }
    }
    for (const [name, x] of extraRows(s))
      for (const [stat, v] of [
        ["avg", x.avg],
        ["min", x.min],
        ["max", x.max],
      ] as const)
        out += [String(s.index), csvField(name), csvField(x.unit), stat, formatFixed2(v)].join(",") + CRLF;
  }
  return out;
}

export function timeslicesJson(slices: readonly SliceSummary[], inputConfig: unknown): string {
  const timeslices = slices.map((s) => {
    const o: Record<string, PyJsonValue> = { timeslice_index: s.index };
    for (const m of s.summary.metrics) o[m.tag] = jsonMetricBlock(m);
    for (const [name, x] of extraRows(s)) o[name] = { unit: x.unit, avg: pyFloat(x.avg), min: pyFloat(x.min), max: pyFloat(x.max) };
    return o;
  });
  return dumpPyJson({ timeslices, input_config: inputConfig as PyJsonValue }, { style: "pydantic", indent: 2 });
}
