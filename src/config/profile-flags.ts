// `llmbench profile` flags: AIPerf's names and aliases, defaults as AIPerf's unless noted. The only
// place a profile flag is declared: parsing, --help, validation and ProfileFlags come from this table.
import { ark, lazy } from "./ark.ts";
import { baseUrl, nonNegativeInt, nonNegativeNumber, percent, positiveInt, positiveNumber } from "./common-types.ts";
import { flagsSchema, type FlagSpec, type FlagValues } from "./flag-spec.ts";

const ENDPOINT = "Endpoint";
const INPUT = "Input";
const LOAD = "Load";
const OUTPUT = "Output";
const RUN = "Run";

const oneOf = <const T extends string[]>(...values: T) => lazy(() => ark().type.enumerated(...values));
const nonEmpty = lazy(() => ark().type("string > 0"));
const urlList = lazy(() => baseUrl().array().atLeastLength(1));
const fraction = lazy(() => ark().type("string.numeric.parse").pipe(ark().type("0 <= number <= 1")));
const arrivalPattern = oneOf("poisson", "constant", "gamma", "concurrency_burst");

export const PROFILE_FLAGS = {
  model: { type: "string", alias: ["m", "model-names"], description: "Model name sent in each request", defaultNote: "the server's only model, from GET /v1/models (needs the pre-flight)", valueHint: "name", group: ENDPOINT, schema: nonEmpty },
  url: { type: "string", alias: "u", repeatable: true, description: "Server base URL (a /v1 or endpoint path at its end is taken off); repeat to spread requests round-robin", default: "localhost:8000", valueHint: "url", group: ENDPOINT, schema: urlList },
  "endpoint-type": { type: "string", description: "API: chat, completions or embeddings", default: "chat", valueHint: "chat|completions|embeddings", group: ENDPOINT, schema: oneOf("chat", "completions", "embeddings") },
  endpoint: { type: "string", alias: "custom-endpoint", description: "Custom path instead of the endpoint type's (e.g. /v1/chat/completions)", valueHint: "path", group: ENDPOINT, schema: nonEmpty },
  streaming: { type: "boolean", description: "Stream responses (SSE); needed for TTFT and ITL", default: false, group: ENDPOINT },
  "api-key": { type: "string", description: "Sent as Authorization: Bearer; never written to artifacts or logs", valueHint: "key", group: ENDPOINT, schema: nonEmpty },
  header: { type: "string", alias: "H", repeatable: true, description: "Extra header, Name:Value or JSON (repeatable)", valueHint: "Name:Value", group: ENDPOINT },
  "extra-inputs": { type: "string", repeatable: true, description: "Merged into every request body, key:value or JSON (repeatable)", valueHint: "key:value", group: ENDPOINT },
  "request-timeout-seconds": { type: "string", description: "Give up on a request after this long", default: "21600", valueHint: "s", group: ENDPOINT, schema: positiveNumber },
  transport: { type: "string", description: "http (socket-level HTTP/1.1, most accurate) or fetch (TLS/HTTP2 fallback)", default: "http", valueHint: "http|fetch", group: ENDPOINT, schema: oneOf("http", "http1", "fetch") },
  insecure: { type: "boolean", description: "https: do not verify the server's certificate", default: false, group: ENDPOINT },

  tokenizer: { type: "string", description: "Tokenizer: a Hugging Face model id (HF cache, else downloaded into it), a tokenizer.json file or directory, or builtin (o200k, shipped inside)", defaultNote: "the --model", valueHint: "org/model|path|builtin", group: INPUT, schema: nonEmpty },
  "tokenizer-revision": { type: "string", description: "Hub revision for a model-id --tokenizer", default: "main", valueHint: "rev", group: INPUT, schema: nonEmpty },
  isl: { type: "string", alias: ["synthetic-input-tokens-mean", "prompt-input-tokens-mean"], description: "Input tokens per synthetic prompt", default: "550", valueHint: "tokens", group: INPUT, schema: positiveInt },
  "isl-stddev": { type: "string", alias: ["synthetic-input-tokens-stddev", "prompt-input-tokens-stddev"], description: "Standard deviation of synthetic input lengths", default: "0", valueHint: "tokens", group: INPUT, schema: nonNegativeNumber },
  osl: { type: "string", alias: ["output-tokens-mean", "prompt-output-tokens-mean"], description: "Output tokens to ask for (max_completion_tokens; max_tokens for completions)", defaultNote: "the server's", valueHint: "tokens", group: INPUT, schema: positiveInt },
  "osl-stddev": { type: "string", alias: ["output-tokens-stddev", "prompt-output-tokens-stddev"], description: "Standard deviation of output lengths", default: "0", valueHint: "tokens", group: INPUT, schema: nonNegativeNumber },
  "seq-dist": { type: "string", alias: "sequence-distribution", description: 'Mix of ISL,OSL pairs with percentages, e.g. "128,64:25;512,128:75"', valueHint: "ISL,OSL:pct;...", group: INPUT, schema: nonEmpty },
  "num-prefix-prompts": { type: "string", alias: ["prompt-prefix-pool-size", "prefix-prompt-pool-size"], description: "Pool of shared prefixes; each prompt starts with one at random", default: "0", valueHint: "n", group: INPUT, schema: nonNegativeInt },
  "prefix-prompt-length": { type: "string", alias: "prompt-prefix-length", description: "Tokens per shared prefix", default: "0", valueHint: "tokens", group: INPUT, schema: nonNegativeInt },
  "shared-system-prompt-length": { type: "string", description: "A system prompt of this many tokens, the same in every request", default: "0", valueHint: "tokens", group: INPUT, schema: nonNegativeInt },
  "num-dataset-entries": { type: "string", alias: ["num-prompts", "conversation-num", "num-conversations", "num-sessions"], description: "Distinct synthetic sessions (conversations), used round-robin", default: "100", valueHint: "n", group: INPUT, schema: positiveInt },
  "conversation-turn-mean": { type: "string", alias: "session-turns-mean", description: "Synthetic multi-turn: mean turns per session", default: "1", valueHint: "n", group: INPUT, schema: positiveInt },
  "conversation-turn-stddev": { type: "string", alias: "session-turns-stddev", description: "Standard deviation of turns per session", default: "0", valueHint: "n", group: INPUT, schema: nonNegativeNumber },
  "conversation-turn-delay-mean": { type: "string", alias: "session-turn-delay-mean", description: "Mean wait before each later turn, after the previous answer", default: "0", valueHint: "ms", group: INPUT, schema: nonNegativeNumber },
  "conversation-turn-delay-stddev": { type: "string", alias: "session-turn-delay-stddev", description: "Standard deviation of that wait", default: "0", valueHint: "ms", group: INPUT, schema: nonNegativeNumber },
  "conversation-turn-delay-ratio": { type: "string", alias: "session-delay-ratio", description: "Scale every turn delay by this", default: "1", valueHint: "x", group: INPUT, schema: nonNegativeNumber },
  "input-file": { type: "string", description: "JSONL dataset (see --custom-dataset-type); a directory for random_pool", valueHint: "path", group: INPUT, schema: nonEmpty },
  "custom-dataset-type": { type: "string", description: "Format of --input-file: single_turn, multi_turn, random_pool or mooncake_trace", defaultNote: "single_turn", valueHint: "type", group: INPUT, schema: oneOf("single_turn", "multi_turn", "random_pool", "mooncake_trace") },
  "dataset-sampling-strategy": { type: "string", description: "How sessions are picked: sequential (files, synthetic), random (random_pool) or shuffle (each once per pass)", defaultNote: "the dataset's", valueHint: "sequential|random|shuffle", group: INPUT, schema: oneOf("sequential", "random", "shuffle") },
  "isl-block-size": { type: "string", alias: ["synthetic-input-tokens-block-size", "prompt-input-tokens-block-size"], description: "Tokens per trace hash_id block", default: "512", valueHint: "tokens", group: INPUT, schema: positiveInt },
  "random-seed": { type: "string", description: "Seed for prompts, arrivals and cancellation picks", default: "0", valueHint: "n", group: INPUT, schema: nonNegativeInt },

  concurrency: { type: "string", description: "Requests in flight at once: closed-loop lanes, or with --request-rate / --fixed-schedule a cap", defaultNote: "1", valueHint: "n", group: LOAD, schema: positiveInt },
  "request-rate": { type: "string", description: "Open loop: send this many requests per second, on schedule whatever the server does", valueHint: "req/s", group: LOAD, schema: positiveNumber },
  "arrival-pattern": { type: "string", alias: "request-rate-mode", description: "Arrival times for --request-rate: poisson, constant or gamma", defaultNote: "poisson", valueHint: "poisson|constant|gamma", group: LOAD, schema: arrivalPattern },
  "arrival-smoothness": { type: "string", alias: "vllm-burstiness", description: "Gamma shape for --arrival-pattern gamma: <1 bursty, 1 Poisson, >1 smooth", default: "1", valueHint: "k", group: LOAD, schema: positiveNumber },
  "request-count": { type: "string", alias: "num-requests", description: "Requests to send", defaultNote: "max(10, 2 x concurrency); 10 with --request-rate; an --input-file once through", valueHint: "n", group: LOAD, schema: positiveInt },
  "benchmark-duration": { type: "string", description: "Send for this long instead of a request count", valueHint: "s", group: LOAD, schema: positiveNumber },
  "benchmark-grace-period": { type: "string", description: "After --benchmark-duration, wait this long for in-flight requests", default: "30", valueHint: "s", group: LOAD, schema: nonNegativeNumber },
  "concurrency-ramp-duration": { type: "string", description: "Raise concurrency from 1 to --concurrency over this long", default: "0", valueHint: "s", group: LOAD, schema: nonNegativeNumber },
  "request-rate-ramp-duration": { type: "string", description: "Raise the request rate linearly from 0 to --request-rate over this long", default: "0", valueHint: "s", group: LOAD, schema: nonNegativeNumber },
  "prefill-concurrency": { type: "string", description: "Cap on requests still waiting for their first token (needs --streaming)", valueHint: "n", group: LOAD, schema: positiveInt },
  "warmup-request-count": { type: "string", alias: "num-warmup-requests", description: "Requests sent first and left out of the statistics", default: "0", valueHint: "n", group: LOAD, schema: nonNegativeInt },
  "warmup-duration": { type: "string", description: "A warmup phase of this long instead of --warmup-request-count", valueHint: "s", group: LOAD, schema: positiveNumber },
  "warmup-concurrency": { type: "string", description: "Concurrency of the warmup phase", defaultNote: "--concurrency", valueHint: "n", group: LOAD, schema: positiveInt },
  "warmup-request-rate": { type: "string", description: "Request rate of the warmup phase", defaultNote: "--request-rate", valueHint: "req/s", group: LOAD, schema: positiveNumber },
  "warmup-arrival-pattern": { type: "string", description: "Arrival pattern of the warmup phase", defaultNote: "--arrival-pattern", valueHint: "poisson|constant|gamma", group: LOAD, schema: arrivalPattern },
  "request-cancellation-rate": { type: "string", description: "Percent of requests the client cancels (recorded as cancelled, code 499)", default: "0", valueHint: "0-100", group: LOAD, schema: percent },
  "request-cancellation-delay": { type: "string", description: "Seconds after sending that those requests are cancelled", default: "0", valueHint: "s", group: LOAD, schema: nonNegativeNumber },
  "fixed-schedule": { type: "boolean", description: "Send each --input-file entry at its timestamp (on by default for mooncake traces with timestamps)", group: LOAD },
  "fixed-schedule-auto-offset": { type: "boolean", description: "Shift the schedule so the first timestamp is time 0", default: false, group: LOAD },
  "fixed-schedule-start-offset": { type: "string", description: "Replay from this trace timestamp; earlier entries are skipped", valueHint: "ms", group: LOAD, schema: nonNegativeInt },
  "fixed-schedule-end-offset": { type: "string", description: "Replay up to this trace timestamp; later entries are skipped", valueHint: "ms", group: LOAD, schema: nonNegativeInt },
  "trace-speedup": { type: "string", description: "Replay the schedule this many times as fast (0.5 = half speed)", default: "1", valueHint: "x", group: LOAD, schema: positiveNumber },
  workers: { type: "string", alias: ["workers-max", "max-workers"], description: "Load worker threads", defaultNote: "min(concurrency, cores x 0.75 - 1), at least 1", valueHint: "n", group: LOAD, schema: positiveInt },
  "failed-request-threshold": { type: "string", description: "Abort when more than this fraction (0-1) of requests failed; within it, exit 0", valueHint: "fraction", group: LOAD, schema: fraction },

  "artifact-dir": { type: "string", alias: "output-artifact-dir", description: "Where results go; must be empty or new (see --overwrite)", defaultNote: "artifacts/<model>-openai-<endpoint>-<concurrencyN|request_rateR|fixed_schedule>", valueHint: "dir", group: OUTPUT, schema: nonEmpty },
  overwrite: { type: "boolean", description: "Replace a non-empty --artifact-dir whole (it holds an earlier run)", default: false, group: OUTPUT },
  goodput: { type: "string", repeatable: true, description: 'SLOs in display units, e.g. "time_to_first_token:100 inter_token_latency:3.4"', valueHint: "tag:value ...", group: OUTPUT },
  percentiles: { type: "string", repeatable: true, description: "Extra percentiles to report, e.g. 99.9 (comma-separated or repeated)", valueHint: "p", group: OUTPUT },
  "slice-duration": { type: "string", description: "Split results into wall-clock slices of this many seconds (timeslice exports, HDR histograms)", valueHint: "s", group: OUTPUT, schema: positiveNumber },
  preflight: { type: "boolean", description: "Before the load, ask each server GET /v1/models and send one small request (not in the results), so a wrong URL, key or model stops the run at once; --no-preflight skips both", default: true, group: RUN },
  ui: { type: "string", alias: "ui-type", description: "dashboard (full-screen live view), simple (one progress line; a heartbeat line every 5 s when stderr is not a terminal), none, or auto (dashboard on a terminal, else simple)", default: "auto", valueHint: "dashboard|simple|none|auto", group: RUN, schema: oneOf("dashboard", "simple", "none", "auto") },
} as const satisfies Record<string, FlagSpec>;

export type ProfileFlags = FlagValues<typeof PROFILE_FLAGS>;

/** The validating schema of every profile flag, built on first use. */
export const profileSchema = lazy(() => flagsSchema(PROFILE_FLAGS));
