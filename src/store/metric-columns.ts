// The requests table's metric columns, generated from the metric table: one column per per-request
// metric and per-request aggregate contribution (good_request_count, error_request_count, ...), named
// by tag and holding exactly what recordValues() computed, in the metric's display unit (ms for
// times, as profile_export.jsonl shows them). inter_chunk_latency is a list per request, like its
// JSONL value. NULL = the metric has no value for that request.
import { METRICS, isFloatInDisplay, type MetricSpec, type MetricTag } from "../metrics/metric-table.ts";
import { toDisplay, type RecordValues } from "../metrics/record-values.ts";
import { hdrFactor } from "../metrics/slice-histograms.ts";
import type { CellValue } from "./columns.ts";

export interface MetricColumn {
  readonly tag: MetricTag;
  readonly spec: MetricSpec;
  readonly type: "BIGINT" | "DOUBLE" | "DOUBLE[]";
  /** Stored (display-unit) value times this = the integer an HDR histogram records (internal unit x scale). */
  readonly hdrFactor: number;
}

function columnType(spec: MetricSpec): MetricColumn["type"] {
  if (spec.valueType === "int[]") return "DOUBLE[]";
  return isFloatInDisplay(spec) ? "DOUBLE" : "BIGINT";
}

/** Record and aggregate metrics in table order (derived metrics are computed once per run, not stored). */
export const METRIC_COLUMNS: readonly MetricColumn[] = METRICS.filter((m) => m.kind !== "derived").map((spec) => ({
  tag: spec.tag,
  spec,
  type: columnType(spec),
  hdrFactor: hdrFactor(spec.tag),
}));

/** The cell a metric column stores for one request's values. */
export function metricCell(tag: MetricTag, values: RecordValues): CellValue {
  const v = values.get(tag);
  return v === undefined ? null : toDisplay(tag, v);
}
