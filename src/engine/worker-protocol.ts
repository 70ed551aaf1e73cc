// Messages between the main thread and load workers.
import type { EndpointType } from "../client/request-body.ts";
import type { Dataset } from "../dataset/plan-types.ts";
import type { EncodedRecords } from "../record/record-codec.ts";
import type { BenchmarkPhase } from "../record/request-record.ts";
import type { ShardSlot } from "../schedule/shard.ts";

/** The run settings a load worker needs, under the names the profile config gives them (one name per fact). */
export interface WorkerConfig {
  workerId: number;
  workerCount: number;
  /** Full request URLs (base + endpoint path), used round-robin by request index. */
  urls: string[];
  endpointType: EndpointType;
  streaming: boolean;
  model: string;
  /** Extra headers (lower-case names), e.g. authorization, from -H. */
  headers: Record<string, string>;
  extraInputs: Record<string, unknown>;
  /** Rankings endpoint types: passages per request (--rankings-passages-mean). */
  rankingsPassagesMean?: number;
  requestTimeoutSeconds: number;
  transport: "http1" | "fetch";
  /** https: skip certificate verification (--insecure). */
  insecure: boolean;
  tokenizer: string;
  dataset: Dataset;
  /** --random-seed: random session sampling and cancellation picks. */
  randomSeed: number;
  /** Header carrying each session's correlation id (--session-header, AIPerf's X-Correlation-ID). */
  sessionHeader: string;
  /** Chat: the output limit goes out as max_tokens (--use-legacy-max-tokens). */
  useLegacyMaxTokens: boolean;
  /** Connections this worker opens before the start (its share of the expected concurrency). */
  preconnect: number;
}

/**
 * One phase (warmup or profiling) as every worker runs it. Session ordinal j belongs to worker j % workerCount.
 * Ordinals, limits, lanes and offsets are this process's; with a shard, ordinal j and the k-th request
 * claimed are global position globalPosition(j | k, shard) (schedule/shard.ts).
 */
export interface PhaseSpec {
  phase: BenchmarkPhase;
  /** Epoch ns that lane and arrival offsets count from (a little after the message is sent). */
  startNs: number;
  /** request_index / session_num of this phase's first request / session. */
  requestBase: number;
  sessionBase: number;
  /** Requests this phase may send in all (turns included). */
  requestLimit: number;
  /** Send nothing from startNs + this on (--benchmark-duration, --warmup-duration), or null. The workers keep it themselves: the main thread that also stops them may run late (--storage-priority idle). */
  durationNs: number | null;
  /**
   * Cancel what is still in flight at startNs + this (--benchmark-duration + --benchmark-grace-period),
   * or null/absent. Kept by the workers too, for the same reason as durationNs.
   */
  cancelAfterNs?: number | null;
  /** Sessions it may start (ordinals 0 .. sessionLimit-1). */
  sessionLimit: number;
  /** Closed loop: lanes in all; 0 in timed mode. */
  lanes: number;
  /** Closed loop: start offset of each lane (--concurrency-ramp-duration), or null for all at once. */
  laneStartNs: Float64Array | null;
  /** Timed mode: the first turn of ordinal j is due at startNs + offsetsNs[j] (ascending). */
  offsetsNs: Float64Array | null;
  /** User-centric timing: turns each ordinal sends (its session's first ones); absent or null = all. */
  turnLimit?: Int32Array | null;
  /** User-centric timing: a later turn is due at max(previous end, previous due + this); absent or null = after its delay. */
  turnGapNs?: number | null;
  /** Timed mode: requests in flight at most (--concurrency with a rate or schedule), or null. */
  inFlightCap: number | null;
  prefillCap: number | null;
  /** Ordinal -> dataset session index (fixed schedule: by timestamp); null = the dataset's sampling. */
  order: Int32Array | null;
  /** Fixed schedule: a later turn's timestamp is due at startNs + (ts - zeroMs) / speedup ms. */
  trace: { zeroMs: number; speedup: number } | null;
  cancellation: { ratePct: number; delaySec: number } | null;
  /** Prompts of `blocks` turns come by "prompts" messages, built on the main thread ahead of time. */
  fedPrompts: boolean;
  /** This process's share of a sharded run, or null. */
  shard: ShardSlot | null;
}

/** Texts of every turn of one session ordinal, built ahead on the main thread. */
export interface FedPrompt {
  ordinal: number;
  texts: string[];
}

export type MainToWorker =
  /** `counts`: this worker's line to the count worker the main thread started for it (absent: it starts its own). */
  | { type: "init"; config: WorkerConfig; shared: SharedArrayBuffer; counts?: MessagePort }
  /** The count worker behind `counts` died: count on this thread from now on. */
  | { type: "counts-lost" }
  | { type: "phase"; spec: PhaseSpec }
  | { type: "prompts"; items: FedPrompt[] }
  /** Issue nothing more this phase (duration over); in-flight requests finish. */
  | { type: "stop" }
  | { type: "cancel" };

/**
 * A load worker thread's CPU in one phase (user + system, us), the part of it spent spinning until
 * timed sends were due, and the wall time (us) it napped instead while storing, receiving or counting
 * fell behind (precise-wait.ts).
 */
export interface WorkerPhaseCpu {
  cpuUs: number;
  spinUs: number;
  napUs: number;
}

export type WorkerToMain =
  | { type: "ready" }
  /** `consumed`: fed prompts used so far this phase (flow control for the feeder). The batch's buffer is transferred. */
  | { type: "records"; batch: EncodedRecords; consumed: number }
  /** `cpu`: this worker thread's, from the phase's message to its end. */
  | { type: "phase-done"; consumed: number; cpu: WorkerPhaseCpu }
  | { type: "fatal"; message: string };
