import type { Command } from "./command.ts";
import type { FlagsDef } from "./flag-spec.ts";
import { profileSchema, resolveProfileConfig } from "../config/profile-config.ts";
import { runProfile } from "../run/profile-run.ts";
import { UsageError } from "./usage-error.ts";

const flags: FlagsDef = {
  url: { type: "string", alias: "u", description: "Server base URL", default: "localhost:8000", valueHint: "url" },
  model: { type: "string", alias: "m", description: "Model name sent in each request", required: true, valueHint: "name" },
  "endpoint-type": { type: "string", description: "API: chat", default: "chat", valueHint: "chat" },
  streaming: { type: "boolean", description: "Stream responses (SSE); needed for TTFT and ITL", default: true },
  concurrency: { type: "string", description: "Requests in flight at once (closed loop)", default: "1", valueHint: "n" },
  "request-count": { type: "string", alias: "num-requests", description: "Requests to send (default max(10, 2 x concurrency))", valueHint: "n" },
  isl: { type: "string", alias: "synthetic-input-tokens-mean", description: "Input tokens per synthetic prompt", default: "550", valueHint: "tokens" },
  osl: { type: "string", alias: "output-tokens-mean", description: "Output tokens requested (max_completion_tokens)", default: "150", valueHint: "tokens" },
  "random-seed": { type: "string", description: "Seed for prompts", default: "0", valueHint: "n" },
  "request-timeout-seconds": { type: "string", description: "Give up on a request after this long", default: "600", valueHint: "s" },
  "artifact-dir": { type: "string", description: "Where results go (default artifacts/<model>-openai-<endpoint>-concurrency<N>)", valueHint: "dir" },
  "api-key": { type: "string", description: "Sent as Authorization: Bearer; never written to artifacts", valueHint: "key" },
};

export const profileCommand: Command = {
  name: "profile",
  description: "Benchmark an OpenAI-compatible server",
  flags,
  examples: [
    "llmbench profile -u http://localhost:8000 -m Qwen/Qwen3-0.6B --concurrency 8 --request-count 200",
    "llmbench profile -m mock-model -u http://127.0.0.1:8000 --isl 128 --osl 64 --artifact-dir runs/c8",
  ],
  async run({ validate, io }) {
    const flagsIn = validate(profileSchema);
    if (!flagsIn.streaming) throw new UsageError(["--streaming is the only mode so far; drop --no-streaming"]);
    return runProfile(resolveProfileConfig(flagsIn), io);
  },
};
