// --goodput SLOs in AIPerf's syntax: space-separated `tag:value` pairs, values in the metric's display
// unit (`time_to_first_token:100 inter_token_latency:3.40` = 100 ms, 3.40 ms). The flag may repeat.
// A request is good when it meets every SLO: `<=` for latencies, `>=` for larger-is-better metrics.
import { closest } from "../runtime/closest.ts";
import { METRICS, hasFlag, isMetricTag, metricSpec, type MetricTag } from "./metric-table.ts";
import { convert } from "./units.ts";

export interface Slo {
  tag: MetricTag;
  /** Threshold as written, in the metric's display unit. */
  displayValue: number;
  /** Threshold in the metric's internal unit (ms SLOs become ns, as AIPerf converts them). */
  threshold: number;
  /** ">=" for larger-is-better metrics, "<=" otherwise. */
  op: "<=" | ">=";
}

export interface GoodputParse {
  slos: Slo[];
  /** One line per problem; empty when the SLOs are usable. */
  problems: string[];
  /** SLOs left out because this run cannot measure their metric (AIPerf considers only applicable metrics). */
  notes: string[];
}

export interface GoodputContext {
  /** When false, SLOs on streaming-only metrics (TTFT, ITL, ...) are left out: they would never have a value. */
  streaming?: boolean;
}

/** Metrics a per-request SLO can use: single-valued per-request metrics that successful requests have. */
const SLO_TAGS: readonly MetricTag[] = METRICS.filter((m) => m.kind === "record" && m.valueType !== "int[]" && !hasFlag(m, "error-only")).map((m) => m.tag);

/** Python's float() syntax for finite decimal numbers (underscores between digits allowed). */
const PY_FLOAT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;

function whyNotSlo(tag: MetricTag): string | null {
  const spec = metricSpec(tag);
  if (spec.kind !== "record") {
    const kind = spec.kind === "derived" ? "a derived" : "an aggregate";
    return `"${tag}" is ${kind} metric and cannot be used for --goodput; use a per-request metric (e.g. time_to_first_token, inter_token_latency)`;
  }
  if (hasFlag(spec, "error-only")) return `"${tag}" is only computed for failed requests and cannot be used for --goodput`;
  if (spec.valueType === "int[]") return `"${tag}" has several values per request and cannot be used for --goodput`;
  return null;
}

/** Parses every --goodput occurrence; all problems are reported, not just the first. */
export function parseGoodput(items: readonly string[], ctx: GoodputContext = {}): GoodputParse {
  const slos: Slo[] = [];
  const problems: string[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const pairs = item.trim().split(/\s+/).filter(Boolean);
    if (pairs.length === 0) {
      problems.push(`--goodput: expected space-separated 'tag:value' pairs (e.g. "time_to_first_token:100"), got an empty string`);
      continue;
    }
    for (const pair of pairs) {
      const colon = pair.indexOf(":");
      if (colon < 0) {
        problems.push(`--goodput: "${pair}" is not in 'tag:value' form`);
        continue;
      }
      const tag = pair.slice(0, colon).trim();
      const raw = pair.slice(colon + 1).trim();
      if (!tag || !raw) {
        problems.push(`--goodput: "${pair}" has an empty ${tag ? "value" : "metric tag"}`);
        continue;
      }
      if (!isMetricTag(tag)) {
        const hint = closest(tag, SLO_TAGS);
        problems.push(`--goodput: unknown metric "${tag}"${hint ? ` (did you mean "${hint}"?)` : ""}`);
        continue;
      }
      const why = whyNotSlo(tag);
      if (why) {
        problems.push(`--goodput: ${why}`);
        continue;
      }
      if (ctx.streaming === false && hasFlag(metricSpec(tag), "streaming-only")) {
        notes.push(`--goodput: "${tag}" is only measured with --streaming; left out of the SLOs (as AIPerf does)`);
        continue;
      }
      const displayValue = PY_FLOAT.test(raw) ? Number(raw.replace(/_/g, "")) : NaN;
      if (!Number.isFinite(displayValue)) {
        problems.push(`--goodput: value for "${tag}" must be a finite number, got "${raw}"`);
        continue;
      }
      if (seen.has(tag)) {
        problems.push(`--goodput: "${tag}" is given more than once`);
        continue;
      }
      seen.add(tag);
      const spec = metricSpec(tag);
      slos.push({
        tag,
        displayValue,
        threshold: convert(displayValue, spec.displayUnit, spec.unit),
        op: hasFlag(spec, "larger-is-better") ? ">=" : "<=",
      });
    }
  }
  return { slos, problems, notes };
}

/**
 * 1 when every SLO holds, 0 when one fails, undefined when a request lacks an SLO's metric
 * (AIPerf then leaves the request out of good_request_count; it is not good either way).
 * `get` returns the request's value in internal units.
 */
export function sloVerdict(get: (tag: MetricTag) => number | number[] | undefined, slos: readonly Slo[]): 0 | 1 | undefined {
  let verdict: 0 | 1 = 1;
  for (const s of slos) {
    const v = get(s.tag);
    if (typeof v !== "number") return undefined;
    if (s.op === ">=" ? !(v >= s.threshold) : !(v <= s.threshold)) verdict = 0;
  }
  return verdict;
}
