// The schedule report (metrics/schedule-report.ts) and the counts behind the exit code, computed
// from results.duckdb in SQL: the same numbers as scheduleReport() over the same records.
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { behindCause, behindWarning } from "../metrics/schedule-behind.ts";
import type { Quantiles, ScheduleOptions, ScheduleReport } from "../metrics/schedule-report.ts";
import type { Stats } from "../metrics/stats.ts";
import { binnedStats, type Series } from "./binned-stats.ts";
import { profilingRows } from "./summary-db.ts";
import { cellNumber } from "./sql-text.ts";

const num = cellNumber;

const PCTS = [50, 90, 99];

function quantiles(s: Stats | undefined): Quantiles | null {
  if (s === undefined) return null;
  return { p50: s.percentiles.get(50)!, p90: s.percentiles.get(90)!, p99: s.percentiles.get(99)!, max: s.max };
}

const ZERO: Quantiles = { p50: 0, p90: 0, p99: 0, max: 0 };

export interface ScheduleDbOptions extends ScheduleOptions {
  runId?: string;
}

export async function scheduleReportDb(conn: DuckDBConnection, o: ScheduleDbOptions): Promise<ScheduleReport> {
  const sent = `${profilingRows(o.runId)} AND "start_ns" > 0 AND "scheduled_ns" > 0`;
  const end = o.streaming ? `"last_token_ns"` : `"end_ns"`;
  const ok = `${sent} AND "error_type" IS NULL AND NOT "cancelled" AND ${end} > 0`;
  const series: Series[] = [
    { id: 0, k: 1, sql: `SELECT 0 AS g, greatest(0, "start_ns" - "scheduled_ns")::DOUBLE AS v FROM requests WHERE ${sent}` },
    { id: 1, k: 1, sql: `SELECT 0 AS g, "queue_ns"::DOUBLE AS v FROM requests WHERE ${sent}` },
    { id: 2, k: 1, sql: `SELECT 0 AS g, (${end} - "start_ns")::DOUBLE AS v FROM requests WHERE ${ok}` },
    { id: 3, k: 1, sql: `SELECT 0 AS g, (${end} - least("scheduled_ns", "start_ns"))::DOUBLE AS v FROM requests WHERE ${ok}` },
  ];
  const stats = (await binnedStats(conn, series, { percentiles: PCTS })).get(0) ?? new Map<number, Stats>();
  const [[n, queued, first, last]] = (
    await conn.runAndReadAll(
      `SELECT count(*)::DOUBLE, count(*) FILTER (WHERE "queue_ns" > 0)::DOUBLE, min("start_ns")::DOUBLE, max("start_ns")::DOUBLE FROM requests WHERE ${sent}`,
    )
  ).getRows() as [[DuckDBValue, DuckDBValue, DuckDBValue, DuckDBValue]];
  const requests = num(n);
  const sendLagNs = quantiles(stats.get(0)) ?? ZERO;
  const queuedCount = num(queued);
  const span = requests >= 2 ? num(last) - num(first) : 0;
  const queueNs = quantiles(stats.get(1)) ?? ZERO;
  const latencyFromSendNs = quantiles(stats.get(2));
  const mode = o.mode ?? "rate";
  const inputs = {
    mode,
    prefillCap: o.prefillCap ?? false,
    storageHeld: o.storageHeld ?? false,
    requests,
    queued: queuedCount,
    queueMaxNs: queueNs.max,
    sendLagP90Ns: sendLagNs.p90,
    ratePerSec: mode === "rate" ? o.requestedRatePerSec : null,
    latencyP50Ns: latencyFromSendNs?.p50 ?? null,
  };
  const cause = behindCause(inputs);
  return {
    requests,
    requestedRatePerSec: o.requestedRatePerSec,
    achievedRatePerSec: requests >= 2 && span > 0 ? ((requests - 1) * 1e9) / span : null,
    sendLagNs,
    queued: queuedCount,
    queueNs,
    latencyFromSendNs,
    latencyFromScheduleNs: quantiles(stats.get(3)),
    behindCause: cause,
    behind: cause !== null,
    behindWarning: cause === null ? null : behindWarning(cause, inputs),
  };
}

/** Profiling-phase request counts: what the exit code and the closing log line need. */
export interface RunCounts {
  /** Profiling requests recorded. */
  profiling: number;
  /** Neither failed nor cancelled. */
  successful: number;
  /** Carry an error (cancelled ones included: they are recorded with code 499). */
  failed: number;
  /** Cancelled by the client (--request-cancellation-rate, Ctrl-C, grace period over). */
  cancelled: number;
  /** Waited for a --concurrency / --prefill-concurrency slot. */
  queued: number;
}

export async function runCountsDb(conn: DuckDBConnection, o: { runId?: string } = {}): Promise<RunCounts> {
  const [[profiling, successful, failed, cancelled, queued]] = (
    await conn.runAndReadAll(
      `SELECT count(*)::DOUBLE,
       count(*) FILTER (WHERE "error_type" IS NULL AND NOT "cancelled")::DOUBLE,
       count(*) FILTER (WHERE "error_type" IS NOT NULL)::DOUBLE,
       count(*) FILTER (WHERE "cancelled")::DOUBLE,
       count(*) FILTER (WHERE "queue_ns" > 0)::DOUBLE
     FROM requests WHERE ${profilingRows(o.runId)}`,
    )
  ).getRows() as [[DuckDBValue, DuckDBValue, DuckDBValue, DuckDBValue, DuckDBValue]];
  return { profiling: num(profiling), successful: num(successful), failed: num(failed), cancelled: num(cancelled), queued: num(queued) };
}
