import type { Command } from "./command.ts";
import type { FlagsDef } from "./flag-spec.ts";
import { profileSchema, resolveProfileConfig } from "../config/profile-config.ts";
import { runProfile } from "../run/profile-run.ts";
import { UsageError } from "./usage-error.ts";
import { parseGoodput } from "../metrics/goodput.ts";
import { BUILTIN_TOKENIZER, loadTokenizer } from "../dataset/tokenizer.ts";
import { createHubResolver } from "../dataset/hf-hub.ts";
import { existsSync, openSync, readSync, closeSync } from "node:fs";
import { loadDataset, type LoadedDataset } from "../run/load-dataset.ts";
import { fixedScheduleProblem } from "../run/phase-plan.ts";
import { dirname, resolve } from "node:path";
import { probeOrigin } from "../client/readiness.ts";
import { fdProblem, readFdLimit } from "../runtime/fd-limit.ts";

/** How long the start-up reachability check waits for each server. */
const READY_TIMEOUT_MS = 10_000;

// AIPerf's flag names and aliases; defaults as AIPerf's unless noted.
const flags: FlagsDef = {
  model: { type: "string", alias: ["m", "model-names"], description: "Model name sent in each request", required: true, valueHint: "name" },
  url: { type: "string", alias: "u", repeatable: true, description: "Server base URL; repeat to spread requests round-robin", default: "localhost:8000", valueHint: "url" },
  "endpoint-type": { type: "string", description: "API: chat, completions or embeddings", default: "chat", valueHint: "chat|completions|embeddings" },
  endpoint: { type: "string", alias: "custom-endpoint", description: "Custom path instead of the endpoint type's (e.g. /v1/chat/completions)", valueHint: "path" },
  streaming: { type: "boolean", description: "Stream responses (SSE); needed for TTFT and ITL", default: false },
  "api-key": { type: "string", description: "Sent as Authorization: Bearer; never written to artifacts or logs", valueHint: "key" },
  header: { type: "string", alias: "H", repeatable: true, description: "Extra header, Name:Value or JSON (repeatable)", valueHint: "Name:Value" },
  "extra-inputs": { type: "string", repeatable: true, description: "Merged into every request body, key:value or JSON (repeatable)", valueHint: "key:value" },
  "request-timeout-seconds": { type: "string", description: "Give up on a request after this long", default: "21600", valueHint: "s" },
  tokenizer: { type: "string", description: "Tokenizer: a Hugging Face model id (HF cache, else downloaded into it; default: the --model), a tokenizer.json file or directory, or builtin (o200k, shipped inside)", valueHint: "org/model|path|builtin" },
  "tokenizer-revision": { type: "string", description: "Hub revision for a model-id --tokenizer", default: "main", valueHint: "rev" },
  concurrency: { type: "string", description: "Requests in flight at once: closed-loop lanes (default 1), or with --request-rate / --fixed-schedule a cap", valueHint: "n" },
  "request-rate": { type: "string", description: "Open loop: send this many requests per second, on schedule whatever the server does", valueHint: "req/s" },
  "arrival-pattern": { type: "string", alias: "request-rate-mode", description: "Arrival times for --request-rate: poisson, constant or gamma", valueHint: "poisson|constant|gamma" },
  "arrival-smoothness": { type: "string", alias: "vllm-burstiness", description: "Gamma shape for --arrival-pattern gamma: <1 bursty, 1 Poisson, >1 smooth (default 1)", valueHint: "k" },
  "prefill-concurrency": { type: "string", description: "Cap on requests still waiting for their first token (needs --streaming)", valueHint: "n" },
  "concurrency-ramp-duration": { type: "string", description: "Raise concurrency from 1 to --concurrency over this long", valueHint: "s" },
  "request-rate-ramp-duration": { type: "string", description: "Raise the request rate linearly from 0 to --request-rate over this long", valueHint: "s" },
  "warmup-concurrency": { type: "string", description: "Concurrency of the warmup phase (default: --concurrency)", valueHint: "n" },
  "warmup-request-rate": { type: "string", description: "Request rate of the warmup phase (default: --request-rate)", valueHint: "req/s" },
  "warmup-arrival-pattern": { type: "string", description: "Arrival pattern of the warmup phase (default: --arrival-pattern)", valueHint: "poisson|constant|gamma" },
  "request-cancellation-rate": { type: "string", description: "Percent of requests the client cancels (recorded as cancelled, code 499)", valueHint: "0-100" },
  "request-cancellation-delay": { type: "string", description: "Seconds after sending that those requests are cancelled", valueHint: "s" },
  "input-file": { type: "string", description: "JSONL dataset (see --custom-dataset-type); a directory for random_pool", valueHint: "path" },
  "custom-dataset-type": { type: "string", description: "Format of --input-file: single_turn, multi_turn, random_pool or mooncake_trace", valueHint: "type" },
  "fixed-schedule": { type: "boolean", description: "Send each --input-file entry at its timestamp (on by default for mooncake traces with timestamps)" },
  "fixed-schedule-auto-offset": { type: "boolean", description: "Shift the schedule so the first timestamp is time 0" },
  "fixed-schedule-start-offset": { type: "string", description: "Replay from this trace timestamp (ms); earlier entries are skipped", valueHint: "ms" },
  "fixed-schedule-end-offset": { type: "string", description: "Replay up to this trace timestamp (ms); later entries are skipped", valueHint: "ms" },
  "trace-speedup": { type: "string", description: "Replay the schedule this many times as fast (0.5 = half speed)", valueHint: "x" },
  "isl-stddev": { type: "string", alias: ["synthetic-input-tokens-stddev", "prompt-input-tokens-stddev"], description: "Standard deviation of synthetic input lengths", valueHint: "tokens" },
  "osl-stddev": { type: "string", alias: ["output-tokens-stddev", "prompt-output-tokens-stddev"], description: "Standard deviation of output lengths", valueHint: "tokens" },
  "seq-dist": { type: "string", alias: "sequence-distribution", description: 'Mix of ISL,OSL pairs with percentages, e.g. "128,64:25;512,128:75"', valueHint: "ISL,OSL:pct;..." },
  "num-prefix-prompts": { type: "string", alias: ["prompt-prefix-pool-size", "prefix-prompt-pool-size"], description: "Pool of shared prefixes; each prompt starts with one at random", valueHint: "n" },
  "prefix-prompt-length": { type: "string", alias: "prompt-prefix-length", description: "Tokens per shared prefix", valueHint: "tokens" },
  "shared-system-prompt-length": { type: "string", description: "A system prompt of this many tokens, the same in every request", valueHint: "tokens" },
  "isl-block-size": { type: "string", alias: ["synthetic-input-tokens-block-size", "prompt-input-tokens-block-size"], description: "Tokens per trace hash_id block", default: "512", valueHint: "tokens" },
  "request-count": { type: "string", alias: "num-requests", description: "Requests to send (default max(10, 2 x concurrency); 10 with --request-rate; a fixed schedule sends its whole trace)", valueHint: "n" },
  "benchmark-duration": { type: "string", description: "Send for this long instead of a request count", valueHint: "s" },
  "benchmark-grace-period": { type: "string", description: "After --benchmark-duration, wait this long for in-flight requests", default: "30", valueHint: "s" },
  "warmup-request-count": { type: "string", alias: "num-warmup-requests", description: "Requests sent first and left out of the statistics", default: "0", valueHint: "n" },
  "warmup-duration": { type: "string", description: "A warmup phase of this long instead of --warmup-request-count", valueHint: "s" },
  isl: { type: "string", alias: ["synthetic-input-tokens-mean", "prompt-input-tokens-mean"], description: "Input tokens per synthetic prompt", default: "550", valueHint: "tokens" },
  osl: { type: "string", alias: ["output-tokens-mean", "prompt-output-tokens-mean"], description: "Output tokens to ask for (max_completion_tokens; max_tokens for completions)", valueHint: "tokens" },
  "random-seed": { type: "string", description: "Seed for prompts", default: "0", valueHint: "n" },
  "num-dataset-entries": { type: "string", alias: ["num-prompts", "conversation-num", "num-conversations", "num-sessions"], description: "Distinct synthetic sessions (conversations), used round-robin", default: "100", valueHint: "n" },
  "dataset-sampling-strategy": { type: "string", description: "How sessions are picked: sequential (files, synthetic), random (random_pool) or shuffle (each once per pass)", valueHint: "sequential|random|shuffle" },
  "conversation-turn-mean": { type: "string", alias: "session-turns-mean", description: "Synthetic multi-turn: mean turns per session (default 1)", valueHint: "n" },
  "conversation-turn-stddev": { type: "string", alias: "session-turns-stddev", description: "Standard deviation of turns per session", valueHint: "n" },
  "conversation-turn-delay-mean": { type: "string", alias: "session-turn-delay-mean", description: "Mean wait before each later turn, after the previous answer", valueHint: "ms" },
  "conversation-turn-delay-stddev": { type: "string", alias: "session-turn-delay-stddev", description: "Standard deviation of that wait", valueHint: "ms" },
  "conversation-turn-delay-ratio": { type: "string", alias: "session-delay-ratio", description: "Scale every turn delay by this (default 1)", valueHint: "x" },
  "artifact-dir": { type: "string", alias: "output-artifact-dir", description: "Where results go (default artifacts/<model>-openai-<endpoint>-<concurrencyN|request_rateR|fixed_schedule>)", valueHint: "dir" },
  goodput: { type: "string", repeatable: true, description: 'SLOs in display units, e.g. "time_to_first_token:100 inter_token_latency:3.4"', valueHint: "tag:value ..." },
  percentiles: { type: "string", repeatable: true, description: "Extra percentiles to report, e.g. 99.9 (comma-separated or repeated)", valueHint: "p" },
  ui: { type: "string", alias: "ui-type", description: "simple (progress bar on stderr) or none; auto = simple on a terminal", default: "auto", valueHint: "simple|none|auto" },
  workers: { type: "string", alias: ["workers-max", "max-workers"], description: "Load worker threads (default min(concurrency, cores x 0.75 - 1), at least 1)", valueHint: "n" },
  transport: { type: "string", description: "http (socket-level HTTP/1.1, most accurate) or fetch (TLS/HTTP2 fallback)", default: "http", valueHint: "http|fetch" },
  insecure: { type: "boolean", description: "https: do not verify the server's certificate", default: false },
  "slice-duration": { type: "string", description: "Split results into wall-clock slices of this many seconds (timeslice exports, HDR histograms)", valueHint: "s" },
  "failed-request-threshold": { type: "string", description: "Abort when more than this fraction (0-1) of requests failed; within it, exit 0", valueHint: "fraction" },
};

export const profileCommand: Command = {
  name: "profile",
  description: "Benchmark an OpenAI-compatible server",
  flags,
  examples: [
    "llmbench profile -u http://localhost:8000 -m Qwen/Qwen3-0.6B --streaming --concurrency 8 --request-count 200",
    'llmbench profile -m my-model --tokenizer builtin --streaming --concurrency 64 --benchmark-duration 60 --goodput "time_to_first_token:200 inter_token_latency:20"',
    "llmbench profile -m Qwen/Qwen3-0.6B --endpoint-type completions --isl 1024 --osl 128 --extra-inputs ignore_eos:true",
    "llmbench profile -m Qwen/Qwen3-0.6B --streaming --request-rate 50 --arrival-pattern constant --concurrency 256 --benchmark-duration 120",
    "llmbench profile -m Qwen/Qwen3-0.6B --streaming --input-file trace.jsonl --custom-dataset-type mooncake_trace --trace-speedup 20",
  ],
  async run({ validate, io }) {
    const flagsIn = validate(profileSchema);
    const traceHasTimestamps =
      flagsIn.customDatasetType === "mooncake_trace" && flagsIn.inputFile !== undefined && firstEntryHasTimestamp(resolve(io.cwd, flagsIn.inputFile));
    const { config, problems } = resolveProfileConfig(flagsIn, { stderrIsTTY: io.stderrIsTTY, traceHasTimestamps });
    const goodput = parseGoodput(config.goodput, { streaming: config.streaming });
    const fds = config.concurrency === null ? null : fdProblem(config.concurrency, readFdLimit());
    if (fds) problems.push(fds);
    problems.push(...goodput.problems);
    // Report flag problems before anything slow (or networked) is tried.
    if (problems.length > 0) throw new UsageError(problems);
    // A Hugging Face model id becomes a local snapshot directory here, so workers load plain files.
    if (config.tokenizer !== BUILTIN_TOKENIZER && !existsSync(resolve(io.cwd, config.tokenizer))) {
      const hub = createHubResolver({ env: io.env, revision: flagsIn.tokenizerRevision });
      const files = await hub(config.tokenizer).catch((e: unknown) => {
        problems.push(e instanceof Error ? e.message : String(e));
        return null;
      });
      if (files) config.tokenizer = dirname(files.tokenizerJson);
      if (files === null) throw new UsageError(problems); // the hub said why; loading would only repeat it
    }
    const tokenizer = await loadTokenizer(config.tokenizer).catch((e: unknown) => {
      problems.push(e instanceof Error ? e.message : String(e));
      return null;
    });
    if (problems.length > 0 || tokenizer === null) throw new UsageError(problems);
    // The whole dataset is read and checked now: a malformed line stops the run before any request.
    let dataset: LoadedDataset;
    try {
      dataset = loadDataset(config, tokenizer, io.cwd);
    } catch (e) {
      throw new UsageError([e instanceof Error ? e.message : String(e)]);
    }
    const scheduleProblem = config.load.kind === "fixed" ? fixedScheduleProblem(dataset.dataset, config.load, config.dataset.inputFile) : null;
    if (scheduleProblem !== null) throw new UsageError([scheduleProblem]);
    if (dataset.dataset.sessions.length === 0) throw new UsageError([`--input-file ${config.dataset.inputFile}: no entries left to send (check the file and the --fixed-schedule offsets)`]);
    const origins = [...new Set(config.urls.map((u) => new URL(u).origin))];
    const unreachable = await Promise.all(origins.map(async (o) => [o, await probeOrigin(o, READY_TIMEOUT_MS)] as const));
    for (const [origin, why] of unreachable) if (why) problems.push(`--url ${origin}: ${why}; is the server running there?`);
    if (problems.length > 0) throw new UsageError(problems);
    return runProfile(config, io, { slos: goodput.slos, tokenizer, dataset });
  },
};

/** AIPerf's check: does the first non-empty line of a mooncake trace have a timestamp? (Only the head is read.) */
function firstEntryHasTimestamp(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return false; // the dataset loader reports the unreadable file
  }
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const line = buf.subarray(0, n).toString("utf8").split("\n").find((l) => l.trim() !== "");
    if (line === undefined) return false;
    try {
      const j = JSON.parse(line) as { timestamp?: unknown };
      return j.timestamp !== undefined && j.timestamp !== null;
    } catch {
      return /"timestamp"\s*:\s*\d/.test(line);
    }
  } finally {
    closeSync(fd);
  }
}
