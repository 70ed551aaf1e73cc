import type { Command } from "./command.ts";
import type { FlagsDef } from "./flag-spec.ts";
import { profileSchema, resolveProfileConfig } from "../config/profile-config.ts";
import { runProfile } from "../run/profile-run.ts";
import { UsageError } from "./usage-error.ts";
import { parseGoodput } from "../metrics/goodput.ts";
import { BUILTIN_TOKENIZER, loadTokenizer } from "../dataset/tokenizer.ts";
import { createHubResolver } from "../dataset/hf-hub.ts";
import { existsSync } from "node:fs";
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
  tokenizer: { type: "string", description: "Tokenizer: builtin (o200k, shipped inside), a tokenizer.json file or directory, or a Hugging Face model id (HF cache, else downloaded into it)", default: "builtin", valueHint: "builtin|path|org/model" },
  "tokenizer-revision": { type: "string", description: "Hub revision for a model-id --tokenizer", default: "main", valueHint: "rev" },
  concurrency: { type: "string", description: "Requests in flight at once (closed loop)", default: "1", valueHint: "n" },
  "request-count": { type: "string", alias: "num-requests", description: "Requests to send (default max(10, 2 x concurrency))", valueHint: "n" },
  "benchmark-duration": { type: "string", description: "Send for this long instead of a request count", valueHint: "s" },
  "benchmark-grace-period": { type: "string", description: "After --benchmark-duration, wait this long for in-flight requests", default: "30", valueHint: "s" },
  "warmup-request-count": { type: "string", alias: "num-warmup-requests", description: "Requests sent first and left out of the statistics", default: "0", valueHint: "n" },
  isl: { type: "string", alias: ["synthetic-input-tokens-mean", "prompt-input-tokens-mean"], description: "Input tokens per synthetic prompt", default: "550", valueHint: "tokens" },
  osl: { type: "string", alias: ["output-tokens-mean", "prompt-output-tokens-mean"], description: "Output tokens to ask for (max_completion_tokens; max_tokens for completions)", valueHint: "tokens" },
  "random-seed": { type: "string", description: "Seed for prompts", default: "0", valueHint: "n" },
  "num-dataset-entries": { type: "string", alias: "num-prompts", description: "Distinct synthetic prompts, used round-robin", default: "100", valueHint: "n" },
  "artifact-dir": { type: "string", alias: "output-artifact-dir", description: "Where results go (default artifacts/<model>-openai-<endpoint>-concurrency<N>)", valueHint: "dir" },
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
    'llmbench profile -m my-model --streaming --concurrency 64 --benchmark-duration 60 --goodput "time_to_first_token:200 inter_token_latency:20"',
    "llmbench profile -m my-model --endpoint-type completions --isl 1024 --osl 128 --extra-inputs ignore_eos:true",
  ],
  async run({ validate, io }) {
    const flagsIn = validate(profileSchema);
    const { config, problems } = resolveProfileConfig(flagsIn, { stderrIsTTY: io.stderrIsTTY });
    const goodput = parseGoodput(config.goodput, { streaming: config.streaming });
    const fds = fdProblem(config.concurrency, readFdLimit());
    if (fds) problems.push(fds);
    problems.push(...goodput.problems);
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
    const origins = [...new Set(config.urls.map((u) => new URL(u).origin))];
    const unreachable = await Promise.all(origins.map(async (o) => [o, await probeOrigin(o, READY_TIMEOUT_MS)] as const));
    for (const [origin, why] of unreachable) if (why) problems.push(`--url ${origin}: ${why}; is the server running there?`);
    if (problems.length > 0) throw new UsageError(problems);
    return runProfile(config, io, { slos: goodput.slos, tokenizer });
  },
};
