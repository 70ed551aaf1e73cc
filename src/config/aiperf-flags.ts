// Every flag of AIPerf's `aiperf profile` CLI reference (and the spellings public guides use for them), with
// what llmbench does with each: accepted under that spelling (an alias on the llmbench flag in
// profile-flags.ts), being added by another branch, refused with one line naming the missing capability
// (exit 2), or ignored with a note (cosmetic). The argv parser consults this table only for spellings
// profile-flags.ts does not know; docs/aiperf-compat.md is generated from it (scripts/aiperf-compat-doc.ts).
// Read from AIPerf's docs/cli-options.md at commit 003fc0f17a3ae3b26fb2a2eb4197f0bc516f9129.

export const AIPERF_CLI_REFERENCE = {
  repo: "ai-dynamo/aiperf",
  file: "docs/cli-options.md",
  commit: "003fc0f17a3ae3b26fb2a2eb4197f0bc516f9129",
} as const;

import type { ForeignFlags, ForeignValue } from "./flag-spec.ts";

/** How many command-line words an AIPerf flag takes after it: none, one, or a list (cyclopts takes words until the next flag). */
export type AiperfValue = ForeignValue;

export type AiperfDisposition =
  /** Every name is a spelling of this llmbench profile flag (its name, an alias, or --no-<boolean>). */
  | { kind: "accepted"; flag: string }
  | { kind: "refused"; capability: string }
  /** Accepted and dropped; the note is printed once. */
  | { kind: "ignored"; note: string };

export interface AiperfFlag {
  /** Spellings without dashes, AIPerf's primary name first (one letter or `vv`: a single-dash short flag). */
  names: readonly string[];
  /** AIPerf's --help section. */
  section: string;
  value: AiperfValue;
  is: AiperfDisposition;
  /** Not in AIPerf's reference: a spelling public guides use. */
  guide?: true;
}

type Row = Omit<AiperfFlag, "section">;

const ok = (flag: string, value: AiperfValue, ...names: string[]): Row => ({ names, value, is: { kind: "accepted", flag } });
const no = (capability: string, value: AiperfValue, ...names: string[]): Row => ({ names, value, is: { kind: "refused", capability } });
const skip = (note: string, value: AiperfValue, ...names: string[]): Row => ({ names, value, is: { kind: "ignored", note } });
const guide = (row: Row): Row => ({ ...row, guide: true });

const MULTIMODAL_AUDIO = "synthetic audio inputs (multimodal requests)";
const MULTIMODAL_IMAGE = "synthetic image inputs (multimodal requests)";
const MULTIMODAL_VIDEO = "video inputs and video generation";
const BASETEN = "baseten_trace replay options";
const AGENTIC = "agentic trace replay (weka/baseten trajectories)";
const SYNTHESIS = "trace synthesis (radix-tree prefix synthesis)";
const OTEL = "OpenTelemetry metric streaming";
const MLFLOW = "MLflow upload";
const WANDB = "Weights & Biases upload";
const NETWORK = "network latency measurement and subtraction";
const CONVERGENCE = "adaptive convergence stopping of repeated runs";
const BAYES = "Bayesian/Optuna adaptive search";
const RECIPES = "this search recipe (llmbench has max-concurrency-under-sla and max-request-rate-under-sla)";
const ACCURACY = "accuracy benchmarking";
const RANKINGS_SHAPING = "rankings passage and query token-length shaping (llmbench takes --rankings-passages-mean and --isl)";

const SECTIONS: Record<string, Row[]> = {
  Endpoint: [
    ok("model", "list", "model-names", "model", "m"),
    ok("model-selection-strategy", "one", "model-selection-strategy"),
    ok("endpoint", "one", "custom-endpoint", "endpoint"),
    ok("endpoint-type", "one", "endpoint-type"),
    ok("streaming", "none", "streaming"),
    ok("url", "list", "url", "u"),
    skip("--url-strategy: llmbench always spreads requests round-robin over the --url values (AIPerf's only strategy)", "one", "url-strategy"),
    ok("request-timeout-seconds", "one", "request-timeout-seconds"),
    no("waiting for the model to become ready (llmbench's --preflight checks once)", "one", "wait-for-model-timeout"),
    no("waiting for the model to become ready (llmbench's --preflight checks once)", "one", "wait-for-model-mode"),
    no("waiting for the model to become ready (llmbench's --preflight checks once)", "one", "wait-for-model-interval"),
    no("KV-cache reset requests", "none", "reset-kv-cache"),
    no("KV-cache reset requests", "one", "reset-kv-cache-timeout-seconds"),
    no("KV-cache reset requests", "one", "reset-kv-cache-path"),
    no("server profiler start/stop requests", "none", "server-profiler"),
    no("server profiler start/stop requests", "one", "server-profiler-timeout-seconds"),
    no("server profiler start/stop requests", "one", "server-profiler-start-path"),
    no("server profiler start/stop requests", "one", "server-profiler-stop-path"),
    ok("api-key", "one", "api-key"),
    ok("transport", "one", "transport", "transport-type"),
    ok("use-legacy-max-tokens", "none", "use-legacy-max-tokens"),
    ok("use-server-token-count", "none", "use-server-token-count"),
    no("connection reuse strategies (llmbench keeps a connection per lane)", "one", "connection-reuse-strategy"),
    no(MULTIMODAL_VIDEO, "none", "download-video-content"),
    no("multipart/form-data request bodies", "one", "request-content-type"),
    ok("session-header", "one", "session-header"),
    no(MULTIMODAL_IMAGE, "none", "uuid-and-strip"),
  ],
  Tokenizer: [
    ok("tokenizer", "one", "tokenizer"),
    ok("tokenizer-revision", "one", "tokenizer-revision"),
    skip("--tokenizer-trust-remote-code: not needed; llmbench reads tokenizer.json and never runs a repository's code", "none", "tokenizer-trust-remote-code"),
    no("chat-template token counting", "none", "apply-chat-template"),
  ],
  Input: [
    ok("extra-inputs", "list", "extra-inputs"),
    ok("header", "list", "header", "H"),
    ok("input-file", "one", "input-file"),
    ok("public-dataset", "one", "public-dataset"),
    no("Hugging Face subset selection for public datasets", "one", "hf-subset"),
    no(AGENTIC, "one", "hf-weka-dataset"),
    no("public dataset filters", "list", "dataset-filter"),
    ok("custom-dataset-type", "one", "custom-dataset-type"),
    no("dropping a trace's recorded delays", "none", "ignore-trace-delays"),
    no(AGENTIC, "none", "use-think-time-only"),
    no(AGENTIC, "one", "max-context-length"),
    ok("dataset-sampling-strategy", "one", "dataset-sampling-strategy"),
    no(AGENTIC, "none", "allow-dataset-wrap", "no-allow-dataset-wrap"),
    ok("random-seed", "one", "random-seed"),
    no(BASETEN, "one", "trace-session-sample-ratio"),
    no("YAML config files", "one", "config", "f"),
  ],
  "Fixed Schedule": [
    ok("fixed-schedule", "none", "fixed-schedule"),
    ok("fixed-schedule", "none", "no-fixed-schedule"),
    ok("fixed-schedule-auto-offset", "none", "fixed-schedule-auto-offset"),
    ok("fixed-schedule-start-offset", "one", "fixed-schedule-start-offset"),
    ok("fixed-schedule-end-offset", "one", "fixed-schedule-end-offset"),
  ],
  Goodput: [ok("goodput", "list", "goodput")],
  "Conversation Input": [
    ok("conversation-num", "one", "conversation-num", "num-conversations", "num-sessions"),
    ok("num-dataset-entries", "one", "num-dataset-entries", "num-prompts"),
    ok("conversation-turn-mean", "one", "conversation-turn-mean", "session-turns-mean"),
    ok("conversation-turn-stddev", "one", "conversation-turn-stddev", "session-turns-stddev"),
    ok("conversation-turn-delay-mean", "one", "conversation-turn-delay-mean", "session-turn-delay-mean"),
    ok("conversation-turn-delay-stddev", "one", "conversation-turn-delay-stddev", "session-turn-delay-stddev"),
    ok("conversation-turn-delay-ratio", "one", "conversation-turn-delay-ratio", "session-delay-ratio"),
    no("capping replayed inter-turn delays", "one", "inter-turn-delay-cap-seconds"),
    no(BASETEN, "one", "max-idle-gap-cap-seconds"),
    ok("trace-speedup", "one", "replay-speedup"),
    no(BASETEN, "none", "open-loop-replay", "no-open-loop-replay"),
    no(BASETEN, "none", "open-loop-strict"),
    no(BASETEN, "none", "omit-kv-hints"),
    no(BASETEN, "none", "force-min-tokens", "no-force-min-tokens"),
  ],
  Prompt: [
    no("client-side batching of several prompts per request", "one", "prompt-batch-size", "batch-size-text", "batch-size", "b"),
    no("a choice of prompt corpus", "one", "prompt-corpus"),
  ],
  "Cache Bust": [no("cache-bust markers", "one", "cache-bust")],
  "Prefix Prompt": [
    ok("num-prefix-prompts", "one", "prompt-prefix-pool-size", "prefix-prompt-pool-size", "num-prefix-prompts"),
    ok("prefix-prompt-length", "one", "prompt-prefix-length", "prefix-prompt-length"),
    ok("shared-system-prompt-length", "one", "shared-system-prompt-length"),
    no("per-session user context prompts", "one", "user-context-prompt-length"),
  ],
  "Input Sequence Length (ISL)": [
    ok("isl", "one", "prompt-input-tokens-mean", "synthetic-input-tokens-mean", "isl"),
    ok("isl-stddev", "one", "prompt-input-tokens-stddev", "synthetic-input-tokens-stddev", "isl-stddev"),
    ok("isl-block-size", "one", "prompt-input-tokens-block-size", "synthetic-input-tokens-block-size", "isl-block-size"),
    ok("seq-dist", "one", "seq-dist", "sequence-distribution"),
  ],
  "Output Sequence Length (OSL)": [
    ok("osl", "one", "prompt-output-tokens-mean", "output-tokens-mean", "osl"),
    ok("osl-stddev", "one", "prompt-output-tokens-stddev", "output-tokens-stddev", "osl-stddev"),
  ],
  "Audio Input": [
    no(MULTIMODAL_AUDIO, "one", "audio-batch-size", "batch-size-audio"),
    no(MULTIMODAL_AUDIO, "one", "audio-length-mean"),
    no(MULTIMODAL_AUDIO, "one", "audio-length-stddev"),
    no(MULTIMODAL_AUDIO, "one", "audio-format"),
    no(MULTIMODAL_AUDIO, "list", "audio-depths"),
    no(MULTIMODAL_AUDIO, "list", "audio-sample-rates"),
    no(MULTIMODAL_AUDIO, "one", "audio-num-channels"),
  ],
  "Image Input": [
    no(MULTIMODAL_IMAGE, "one", "image-width-mean"),
    no(MULTIMODAL_IMAGE, "one", "image-width-stddev"),
    no(MULTIMODAL_IMAGE, "one", "image-height-mean"),
    no(MULTIMODAL_IMAGE, "one", "image-height-stddev"),
    no(MULTIMODAL_IMAGE, "one", "image-batch-size", "batch-size-image"),
    no(MULTIMODAL_IMAGE, "one", "image-format"),
    no(MULTIMODAL_IMAGE, "one", "image-source"),
    no(MULTIMODAL_IMAGE, "one", "image-source-sampling"),
  ],
  "Video Input": [
    no(MULTIMODAL_VIDEO, "one", "video-batch-size", "batch-size-video"),
    no(MULTIMODAL_VIDEO, "one", "video-duration"),
    no(MULTIMODAL_VIDEO, "one", "video-fps"),
    no(MULTIMODAL_VIDEO, "one", "video-width"),
    no(MULTIMODAL_VIDEO, "one", "video-height"),
    no(MULTIMODAL_VIDEO, "one", "video-synth-type"),
    no(MULTIMODAL_VIDEO, "one", "video-format"),
    no(MULTIMODAL_VIDEO, "one", "video-codec"),
    no(MULTIMODAL_VIDEO, "one", "video-audio-sample-rate"),
    no(MULTIMODAL_VIDEO, "one", "video-audio-num-channels"),
    no(MULTIMODAL_VIDEO, "one", "video-audio-codec"),
    no(MULTIMODAL_VIDEO, "one", "video-audio-depth"),
  ],
  Rankings: [
    ok("rankings-passages-mean", "one", "rankings-passages-mean"),
    no(RANKINGS_SHAPING, "one", "rankings-passages-stddev"),
    no(RANKINGS_SHAPING, "one", "rankings-passages-prompt-token-mean"),
    no(RANKINGS_SHAPING, "one", "rankings-passages-prompt-token-stddev"),
    no(RANKINGS_SHAPING, "one", "rankings-query-prompt-token-mean"),
    no(RANKINGS_SHAPING, "one", "rankings-query-prompt-token-stddev"),
  ],
  Synthesis: [
    no(SYNTHESIS, "one", "synthesis-speedup-ratio"),
    no(SYNTHESIS, "one", "synthesis-prefix-len-multiplier"),
    no(SYNTHESIS, "one", "synthesis-prefix-root-multiplier"),
    no(SYNTHESIS, "one", "synthesis-prompt-len-multiplier"),
    no(SYNTHESIS, "one", "synthesis-output-len-multiplier"),
    no(SYNTHESIS, "one", "synthesis-max-isl"),
    no(SYNTHESIS, "one", "synthesis-max-osl"),
  ],
  "Load Generator": [
    ok("benchmark-duration", "one", "benchmark-duration"),
    ok("benchmark-grace-period", "one", "benchmark-grace-period"),
    ok("concurrency", "one", "concurrency"),
    ok("prefill-concurrency", "one", "prefill-concurrency"),
    ok("request-rate", "one", "request-rate"),
    ok("arrival-pattern", "one", "arrival-pattern", "request-rate-mode"),
    ok("arrival-smoothness", "one", "arrival-smoothness", "vllm-burstiness"),
    ok("request-count", "one", "request-count", "num-requests"),
    ok("concurrency-ramp-duration", "one", "concurrency-ramp-duration"),
    no("ramping the prefill concurrency", "one", "prefill-concurrency-ramp-duration"),
    ok("request-rate-ramp-duration", "one", "request-rate-ramp-duration"),
    no("piecewise-linear request-rate series", "one", "request-rate-series"),
    ok("failed-request-threshold", "one", "failed-request-threshold"),
    no(AGENTIC, "one", "trajectory-start-min-ratio"),
    no(AGENTIC, "one", "trajectory-start-max-ratio"),
    no(AGENTIC, "none", "burst-phase-starts"),
    no(AGENTIC, "one", "trace-idle-gap-cap-seconds"),
    no(AGENTIC, "one", "system-idle-gap-cap-seconds"),
  ],
  Scenario: [no("named scenario locks", "one", "scenario"), no("named scenario locks", "none", "unsafe-override")],
  Warmup: [
    ok("warmup-request-count", "one", "warmup-request-count", "num-warmup-requests"),
    ok("warmup-duration", "one", "warmup-duration"),
    no(AGENTIC, "one", "agentic-cache-warmup-duration"),
    no(AGENTIC, "one", "agentic-warmup-grace-period"),
    no("a warmup phase counted in sessions", "one", "num-warmup-sessions"),
    ok("warmup-concurrency", "one", "warmup-concurrency"),
    no("a separate prefill concurrency for warmup", "one", "warmup-prefill-concurrency"),
    ok("warmup-request-rate", "one", "warmup-request-rate"),
    ok("warmup-arrival-pattern", "one", "warmup-arrival-pattern"),
    no("a grace period after the warmup phase", "one", "warmup-grace-period"),
    no("ramps during the warmup phase", "one", "warmup-concurrency-ramp-duration"),
    no("ramps during the warmup phase", "one", "warmup-prefill-concurrency-ramp-duration"),
    no("ramps during the warmup phase", "one", "warmup-request-rate-ramp-duration"),
  ],
  "User-Centric Rate": [ok("user-centric-rate", "one", "user-centric-rate"), ok("num-users", "one", "num-users")],
  "Request Cancellation": [
    ok("request-cancellation-rate", "one", "request-cancellation-rate"),
    ok("request-cancellation-delay", "one", "request-cancellation-delay"),
  ],
  Output: [
    ok("artifact-dir", "one", "output-artifact-dir", "artifact-dir"),
    ok("profile-export-prefix", "one", "profile-export-prefix", "profile-export-file"),
    ok("export-level", "one", "export-level", "profile-export-level"),
    ok("slice-duration", "one", "slice-duration"),
    guide(ok("slice-duration", "one", "timeslice-duration")),
    ok("auto-plot", "none", "auto-plot", "no-auto-plot"),
    no("failing the run when the automatic plot fails", "none", "plot-required"),
    no("an outputs.json of response texts", "none", "export-outputs-json"),
    no(OTEL, "one", "otel-url"),
    no(OTEL, "list", "stream"),
    no(OTEL, "list", "otel-resource-attributes"),
    no(OTEL, "one", "gen-ai-provider"),
    no(MLFLOW, "one", "mlflow-tracking-uri"),
    no(MLFLOW, "one", "mlflow-experiment"),
    no(MLFLOW, "one", "mlflow-run-name"),
    no(MLFLOW, "list", "mlflow-tag"),
    no(MLFLOW, "one", "mlflow-parent-run-id"),
    no(MLFLOW, "list", "mlflow-artifact-glob"),
    no(WANDB, "one", "wandb-project"),
    no(WANDB, "one", "wandb-entity"),
    no(WANDB, "one", "wandb-run-name"),
    no(WANDB, "list", "wandb-tag"),
  ],
  "HTTP Trace": [
    ok("export-http-trace", "none", "export-http-trace"),
    guide(ok("export-http-trace", "none", "http-trace-metrics")),
    ok("show-trace-timing", "none", "show-trace-timing"),
  ],
  "Server Metrics": [
    ok("server-metrics", "list", "server-metrics"),
    ok("no-server-metrics", "none", "no-server-metrics"),
    no("server metrics export formats (llmbench writes server_metrics_export.json and .csv, and every sample to DuckDB)", "list", "server-metrics-formats"),
  ],
  "Network Latency": [
    no(NETWORK, "none", "network-latency-automatic"),
    no(NETWORK, "one", "network-latency-mean"),
    no(NETWORK, "one", "network-latency-ping-interval"),
  ],
  "GPU Telemetry": [ok("gpu-telemetry", "list", "gpu-telemetry"), ok("no-gpu-telemetry", "none", "no-gpu-telemetry")],
  UI: [ok("ui", "one", "ui-type", "ui")],
  "Multi-Run": [
    ok("num-profile-runs", "one", "num-profile-runs"),
    guide(ok("num-profile-runs", "one", "multi-run-count")),
    ok("profile-run-cooldown-seconds", "one", "profile-run-cooldown-seconds"),
    ok("confidence-level", "one", "confidence-level"),
    ok("profile-run-disable-warmup-after-first", "none", "profile-run-disable-warmup-after-first", "no-profile-run-disable-warmup-after-first"),
    ok("set-consistent-seed", "none", "set-consistent-seed", "no-set-consistent-seed"),
    ok("vary-seed-per-trial", "none", "vary-seed-per-trial", "no-vary-seed-per-trial"),
    no(CONVERGENCE, "one", "convergence-metric"),
    no(CONVERGENCE, "one", "convergence-stat"),
    no(CONVERGENCE, "one", "convergence-threshold"),
    no(CONVERGENCE, "one", "convergence-mode"),
    ok("parameter-sweep-cooldown-seconds", "one", "parameter-sweep-cooldown-seconds"),
    ok("parameter-sweep-same-seed", "none", "parameter-sweep-same-seed", "no-parameter-sweep-same-seed"),
    ok("parameter-sweep-mode", "one", "parameter-sweep-mode"),
    ok("sweep-type", "one", "sweep-type"),
    skip("--no-sweep-table: llmbench prints no per-point table while a sweep runs, only the summary at its end", "none", "no-sweep-table"),
    no(BAYES, "list", "search-space"),
    no(BAYES, "one", "search-metric"),
    no(BAYES, "one", "search-stat"),
    no(BAYES, "one", "search-direction"),
    ok("search-max-iterations", "one", "search-max-iterations"),
    no(BAYES, "one", "search-initial-points"),
    no(BAYES, "one", "search-random-seed"),
    no(BAYES, "one", "search-planner"),
    no(BAYES, "one", "optuna-sampler"),
    no(BAYES, "one", "optuna-acquisition"),
    no(BAYES, "one", "optuna-terminator"),
    no(BAYES, "one", "search-percentile-pooling"),
    no(BAYES, "one", "bo-constraint-mode"),
    no("named scenario sweeps (--variant)", "list", "variant", "sweep-variant"),
    no("metric:stat:op:threshold SLA filters", "list", "search-sla"),
    no("tiered SLA filters", "list", "search-sla-tier"),
    ok("search-recipe", "one", "search-recipe"),
    ok("ttft-sla-ms", "one", "ttft-sla-ms"),
    no(RECIPES, "one", "isl-osl-pairs"),
    ok("itl-sla-ms", "one", "itl-sla-ms"),
    ok("itl-sla-ms", "one", "tpot-sla-ms"),
    ok("e2e-sla-ms", "one", "e2e-sla-ms"),
    no("an error-rate SLA", "one", "error-rate-sla"),
    ok("slo-attainment-fraction", "one", "slo-attainment-fraction"),
    ok("search-style", "one", "search-style"),
    no(RECIPES, "one", "degradation-threshold"),
    no(RECIPES, "one", "degradation-metric-tag"),
    no(RECIPES, "one", "degradation-stat"),
    no(RECIPES, "one", "isl-min"),
    no(RECIPES, "one", "isl-max"),
    no(RECIPES, "one", "isl-steps"),
    ok("concurrency-min", "one", "concurrency-min"),
    ok("concurrency-max", "one", "concurrency-max"),
    no(RECIPES, "one", "concurrency-steps"),
    no(RECIPES, "one", "osl-min"),
    no(RECIPES, "one", "osl-max"),
    no(RECIPES, "one", "osl-steps"),
  ],
  Accuracy: [
    no(ACCURACY, "one", "accuracy-benchmark"),
    no(ACCURACY, "list", "accuracy-tasks"),
    no(ACCURACY, "one", "accuracy-n-shots"),
    no(ACCURACY, "none", "accuracy-enable-cot", "accuracy-no-enable-cot"),
    no(ACCURACY, "one", "accuracy-grader"),
    no(ACCURACY, "one", "accuracy-system-prompt"),
    no(ACCURACY, "none", "accuracy-verbose"),
  ],
  Service: [
    skip("--log-level: ignored; llmbench has no log levels (errors are one line; LLMBENCH_DEBUG=1 adds stacks)", "one", "log-level"),
    skip("--verbose: ignored; llmbench has no log levels (errors are one line; LLMBENCH_DEBUG=1 adds stacks)", "none", "verbose", "v"),
    skip("--extra-verbose: ignored; llmbench has no log levels (errors are one line; LLMBENCH_DEBUG=1 adds stacks)", "none", "extra-verbose", "vv"),
    skip(
      "--record-processor-service-count: ignored; llmbench computes metrics in one process, with no record processor services",
      "one",
      "record-processor-service-count",
      "record-processors",
    ),
    no("a control HTTP/WebSocket API", "one", "api-port"),
    no("a control HTTP/WebSocket API", "one", "api-host"),
    skip("--stats-interval: ignored; llmbench's live view refreshes on its own schedule", "one", "stats-interval"),
  ],
  Workers: [ok("workers", "one", "workers-max", "max-workers")],
  "ZMQ Communication": [
    skip("--zmq-host: ignored; llmbench's workers are threads of one process, with no ZMQ", "one", "zmq-host"),
    skip("--zmq-ipc-path: ignored; llmbench's workers are threads of one process, with no ZMQ", "one", "zmq-ipc-path"),
    skip("--zmq-dual-bind: ignored; llmbench's workers are threads of one process, with no ZMQ", "none", "zmq-dual-bind"),
  ],
};

/** The table, in AIPerf's --help order. */
export const AIPERF_PROFILE_FLAGS: readonly AiperfFlag[] = Object.entries(SECTIONS).flatMap(([section, rows]) => rows.map((row) => ({ ...row, section })));

/** A table name as typed: one letter (and AIPerf's `-vv`) with one dash, the rest with two. */
export const aiperfSpelling = (name: string): string => (name.length === 1 || name === "vv" ? `-${name}` : `--${name}`);

const BY_SPELLING = new Map<string, AiperfFlag>();
for (const f of AIPERF_PROFILE_FLAGS) for (const n of f.names) BY_SPELLING.set(aiperfSpelling(n), f);

/**
 * The parser's view of an AIPerf spelling (as typed) that llmbench's flags lack: refused with the
 * capability, or dropped with a note.
 */
export const aiperfForeignFlag: ForeignFlags = (shown) => {
  const f = BY_SPELLING.get(shown);
  if (f === undefined) return undefined;
  switch (f.is.kind) {
    case "ignored":
      return { value: f.value, note: f.is.note };
    case "refused":
      return { value: f.value, refusal: `${shown}: AIPerf's ${f.is.capability} is not supported by llmbench` };
    case "accepted":
      return { value: f.value, refusal: `${shown}: AIPerf's flag (llmbench --${f.is.flag}) is not supported by llmbench` };
  }
};
