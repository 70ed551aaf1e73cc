// The profile command's exit code from the profiling phase's counts (README "Exit codes").
import { EXIT_FAILURE, EXIT_OK } from "../runtime/usage-error.ts";

export interface OutcomeCounts {
  /** Profiling requests recorded. */
  total: number;
  /** Neither failed nor cancelled. */
  succeeded: number;
  /** Failed, or cancelled other than on purpose (--request-cancellation-rate cancellations are not failures). */
  failed: number;
}

export interface ExitInputs {
  counts: OutcomeCounts;
  interrupted: boolean;
  abortedOnFailures: boolean;
  storageFailed: boolean;
  threshold: number | undefined;
}

/**
 * 0 when the run completed, something was measured, and no profiling request failed (or, with
 * --failed-request-threshold, failures stayed within it); 1 otherwise.
 */
export function exitCode(o: ExitInputs): number {
  if (o.interrupted || o.abortedOnFailures || o.storageFailed) return EXIT_FAILURE;
  // Nothing measured is not a success, whatever the threshold says.
  if (o.counts.succeeded === 0) return EXIT_FAILURE;
  if (o.counts.failed === 0) return EXIT_OK;
  return o.threshold !== undefined && o.counts.failed / o.counts.total <= o.threshold ? EXIT_OK : EXIT_FAILURE;
}
