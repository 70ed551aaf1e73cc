// A run's load as the `runs` table's columns: every run has them (so separate runs group by
// concurrency too), and a sweep's runs also carry the sweep id, point and repeat.
import { NO_REQUEST_LIMIT, type ProfileConfig } from "../config/profile-config.ts";
import type { RunLoadColumns } from "../store/schema.ts";

/** Where a run sits in a sweep or search. */
export interface SweepTag {
  sweepId: string;
  /** 1-based point (a search's probe number). */
  point: number;
  /** 1-based run of the point. */
  repeat: number;
}

export function runLoadColumns(cfg: ProfileConfig, tag: SweepTag | null = null): RunLoadColumns {
  const synthetic = cfg.inputFile === undefined;
  return {
    concurrency: cfg.concurrency,
    request_rate: cfg.load.kind === "rate" ? cfg.load.ratePerSec : null,
    // Synthetic prompts only (a file or a --seq-dist mix sets the lengths itself).
    isl: synthetic && cfg.seqDist === undefined ? cfg.isl : null,
    osl: cfg.seqDist === undefined ? (cfg.osl ?? null) : null,
    request_count: cfg.requestCount === NO_REQUEST_LIMIT ? null : cfg.requestCount,
    benchmark_duration: cfg.benchmarkDuration ?? null,
    num_dataset_entries: synthetic ? cfg.numDatasetEntries : null,
    sweep_id: tag?.sweepId ?? null,
    sweep_point: tag?.point ?? null,
    repeat_index: tag?.repeat ?? null,
  };
}
