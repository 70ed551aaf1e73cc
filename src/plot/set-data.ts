// Per-run figures for a sweep or a comparison: one aggregating query per run (throughputs, goodput,
// percentiles and the CDF of each latency), plus the load each run was driven at, from its config.
import { CDF_PS, exactQuantiles, runInfo } from "./run-data.ts";
import { runSlos } from "./run-report.ts";
import type { FoundRun } from "./run-set.ts";
import { firstRow, goodSql, ident, num, num0, PROFILING, type Query, VALID } from "./sql.ts";

export const SET_METRICS = ["time_to_first_token", "inter_token_latency", "request_latency"] as const;
export type SetMetric = (typeof SET_METRICS)[number];

export interface RunFigures {
  run: FoundRun;
  config: Record<string, unknown>;
  requests: number;
  ok: number;
  durationS: number;
  requestsPerSec: number;
  outputTokensPerSec: number;
  /** Mean of the per-request output tokens/s after the first token (what one user sees). */
  tokensPerSecPerUser: number | null;
  goodPerSec: number | null;
  /** --gpus as the run recorded it, else null (then throughput is per server). */
  gpus: number | null;
  servers: number;
  /** runs.sweep_point: repeats of a point share it. */
  sweepPoint: number | null;
  /** Quantiles at CDF_PS per metric; absent when the run has no value for it. */
  cdf: Partial<Record<SetMetric, number[]>>;
}

export async function runFigures(q: Query, run: FoundRun): Promise<RunFigures> {
  const info = await runInfo(q);
  const good = goodSql(runSlos(info.config), info.columns);
  const has = (c: string) => info.columns.has(c);
  const perUser = has("output_token_throughput_per_user")
    ? `avg("output_token_throughput_per_user") FILTER (WHERE ${VALID})`
    : `avg("output_tokens" * 1000.0 / nullif("request_latency", 0)) FILTER (WHERE ${VALID})`;
  const r = firstRow(
    await q(`SELECT count(*) AS n, count(*) FILTER (WHERE ${VALID}) AS ok, min("start_ns") AS t0, max(coalesce("end_ns", "start_ns")) AS t1,
      coalesce(sum("output_tokens") FILTER (WHERE ${VALID}), 0) AS tok, ${perUser} AS per_user,
      ${good === null ? "NULL" : `count(*) FILTER (WHERE ${good})`} AS good
      FROM requests WHERE ${PROFILING}`),
  );
  const durationS = Math.max(1e-9, (num0(r.t1) - num0(r.t0)) / 1e9);
  const cdf: Partial<Record<SetMetric, number[]>> = {};
  for (const m of SET_METRICS.filter(has)) {
    const c = ident(m);
    const qs = await exactQuantiles(
      q,
      `SELECT ${c}::DOUBLE AS x FROM requests WHERE ${PROFILING} AND ${VALID} AND ${c} IS NOT NULL AND isfinite(${c}::DOUBLE)`,
      CDF_PS,
    );
    if (qs.n > 0) cdf[m] = qs.values;
  }
  const cfg = info.config;
  const gpus = typeof cfg.gpus === "number" && cfg.gpus > 0 ? cfg.gpus : null;
  const urls = Array.isArray(cfg.urls) ? cfg.urls.length : Array.isArray(cfg.url) ? cfg.url.length : 1;
  const goodN = num(r.good);
  return {
    run,
    config: cfg,
    requests: num0(r.n),
    ok: num0(r.ok),
    durationS,
    requestsPerSec: num0(r.ok) / durationS,
    outputTokensPerSec: num0(r.tok) / durationS,
    tokensPerSecPerUser: num(r.per_user),
    goodPerSec: goodN === null ? null : goodN / durationS,
    gpus,
    servers: Math.max(1, urls),
    sweepPoint: info.sweepPoint,
    cdf,
  };
}

/** The config keys a sweep varies, in the order that picks the x axis. */
export const LOAD_KEYS = [
  { key: "concurrency", label: "concurrency", short: "c" },
  { key: "requestRate", label: "request rate (req/s)", short: "rate" },
  { key: "isl", label: "input sequence length (tokens)", short: "isl" },
  { key: "osl", label: "output sequence length (tokens)", short: "osl" },
] as const;

export type LoadKey = (typeof LOAD_KEYS)[number];

/** The first load key whose (numeric) value differs between the runs; null when none does. */
export function loadAxis(configs: readonly Record<string, unknown>[]): LoadKey | null {
  for (const k of LOAD_KEYS) {
    const vals = configs.map((c) => c[k.key]);
    if (vals.every((v) => typeof v === "number") && new Set(vals).size > 1) return k;
  }
  return null;
}
