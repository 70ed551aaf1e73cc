// Messages between the main thread and load workers.
import type { EndpointType } from "../client/request-body.ts";
import type { RequestRecord } from "../record/request-record.ts";

export interface PromptEntry {
  text: string;
  tokens: number;
}

export interface WorkerConfig {
  workerId: number;
  /** Closed-loop lanes this worker runs (its share of --concurrency). */
  lanes: number;
  /** Total requests to issue across all workers: warmup + profiling. */
  totalRequests: number;
  warmupRequests: number;
  /** Full request URLs (base + endpoint path), used round-robin by request index. */
  urls: string[];
  endpointType: EndpointType;
  streaming: boolean;
  model: string;
  /** Extra headers (lower-case names), e.g. authorization, from -H. */
  headers: Record<string, string>;
  extraInputs: Record<string, unknown>;
  /** Output token limit per request, or null. */
  maxTokens: number | null;
  timeoutMs: number;
  transport: "http1" | "fetch";
  /** https: skip certificate verification (--insecure). */
  insecure: boolean;
  tokenizer: string;
  /** Prompt pool; request i uses prompts[i % prompts.length]. */
  prompts: PromptEntry[];
}

export type MainToWorker =
  | { type: "init"; config: WorkerConfig; shared: SharedArrayBuffer }
  | { type: "start" }
  | { type: "cancel" };

export type WorkerToMain =
  | { type: "ready" }
  | { type: "records"; records: RequestRecord[] }
  | { type: "done" }
  | { type: "fatal"; message: string };
