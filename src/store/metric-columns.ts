// Metric columns of results.duckdb, generated from the metric table: one column per per-request metric
// and per-request aggregate contribution (good_request_count, error_request_count, ...), named by tag
// and holding exactly what recordValues() computed, in the metric's display unit (ms for times, as
// profile_export.jsonl shows them); NULL = no value for that request. A list metric
// (inter_chunk_latency) is a column of `chunks` instead: element i-1 of the list on chunk i, NULL on
// chunk 0, so it is summarized and queried like any other column, without unnesting.
import { METRICS, isFloatInDisplay, type MetricSpec, type MetricTag } from "../metrics/metric-table.ts";
import type { RecordValues } from "../metrics/record-values.ts";
import { hdrFactor } from "../metrics/slice-histograms.ts";
import { convert } from "../metrics/units.ts";
import type { CellValue } from "./columns.ts";

export interface MetricColumn {
  readonly tag: MetricTag;
  readonly spec: MetricSpec;
  readonly table: "requests" | "chunks";
  readonly type: "BIGINT" | "DOUBLE";
  /** Stored (display-unit) value times this = the integer an HDR histogram records (internal unit x scale). */
  readonly hdrFactor: number;
}

function column(spec: (typeof METRICS)[number]): MetricColumn {
  const list = spec.valueType === "int[]";
  return {
    tag: spec.tag,
    spec,
    table: list ? "chunks" : "requests",
    type: list || isFloatInDisplay(spec) ? "DOUBLE" : "BIGINT",
    hdrFactor: hdrFactor(spec.tag),
  };
}

/** Record and aggregate metrics in table order (derived metrics are computed once per run, not stored). */
export const METRIC_COLUMNS: readonly MetricColumn[] = METRICS.filter((m) => m.kind !== "derived").map(column);

export const REQUEST_METRIC_COLUMNS = METRIC_COLUMNS.filter((c) => c.table === "requests");
export const CHUNK_METRIC_COLUMNS = METRIC_COLUMNS.filter((c) => c.table === "chunks");

const display = (c: MetricColumn, v: number): number => convert(v, c.spec.unit, c.spec.displayUnit);

/** The requests-table cell of a single-valued metric. */
export function requestCell(c: MetricColumn, values: RecordValues): CellValue {
  const v = values.get(c.tag);
  return typeof v === "number" ? display(c, v) : null;
}

/** The chunks-table cell of a list metric for chunk `chunkIndex` (the gap before it). */
export function chunkCell(c: MetricColumn, values: RecordValues, chunkIndex: number): CellValue {
  const v = values.get(c.tag);
  const x = Array.isArray(v) && chunkIndex > 0 ? v[chunkIndex - 1] : undefined;
  return x === undefined ? null : display(c, x);
}
