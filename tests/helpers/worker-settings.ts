// The settings every load worker gets (WorkerConfig without its id and count), as the engine tests use them.
import type { Dataset } from "../../src/dataset/plan-types.ts";
import type { WorkerConfig } from "../../src/engine/worker-protocol.ts";

export type WorkerSettings = Omit<WorkerConfig, "workerId" | "workerCount">;

/** Chat, streaming, the builtin tokenizer, no preconnect; `url` is the full endpoint URL. */
export function workerSettings(url: string, dataset: Dataset, change: Partial<WorkerSettings> = {}): WorkerSettings {
  return {
    urls: [url],
    endpointType: "chat",
    streaming: true,
    model: "mock-model",
    headers: {},
    extraInputs: {},
    requestTimeoutSeconds: 30,
    transport: "http1",
    insecure: false,
    tokenizer: "builtin",
    dataset,
    randomSeed: 1,
    sessionHeader: "X-Correlation-ID",
    useLegacyMaxTokens: false,
    preconnect: 0,
    ...change,
  };
}
