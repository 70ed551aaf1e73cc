// `llmbench profile`: flags from the one spec (config/profile-flags.ts); every check and the run itself
// live in run/ and are loaded only when the command runs (so --help stays fast).
import type { Command } from "./command.ts";
import { PROFILE_FLAGS, profileSchema } from "../config/profile-flags.ts";
import { aiperfForeignFlag } from "../config/aiperf-flags.ts";
import { sweepLevelSchema, wantsMultiRun } from "../config/sweep-axes.ts";

export const profileCommand: Command = {
  name: "profile",
  description: "Benchmark an OpenAI-compatible server",
  flags: PROFILE_FLAGS,
  foreignFlags: aiperfForeignFlag,
  examples: [
    "llmbench profile -u http://localhost:8000 -m Qwen/Qwen3-0.6B --streaming --concurrency 8 --request-count 200",
    'llmbench profile -m my-model --tokenizer builtin --streaming --concurrency 64 --benchmark-duration 60 --goodput "time_to_first_token:200 inter_token_latency:20"',
    "llmbench profile -m Qwen/Qwen3-0.6B --endpoint-type completions --isl 1024 --osl 128 --extra-inputs ignore_eos:true",
    "llmbench profile -m Qwen/Qwen3-0.6B --streaming --request-rate 50 --arrival-pattern constant --concurrency 256 --benchmark-duration 120",
    "llmbench profile -m Qwen/Qwen3-0.6B --streaming --input-file trace.jsonl --custom-dataset-type mooncake_trace --trace-speedup 20",
  ],
  async run({ values, validate, given, io }) {
    // Comma lists, --num-profile-runs or --search-recipe: several runs (run/multi-run.ts).
    if (wantsMultiRun(values, given)) {
      const { runMultiProfile } = await import("../run/multi-run.ts");
      return runMultiProfile(validate(sweepLevelSchema()), { values, given, io });
    }
    const flags = validate(profileSchema());
    const { prepareProfile } = await import("../run/prepare.ts");
    const { runProfile } = await import("../run/profile-run.ts");
    return runProfile(await prepareProfile(flags, { io, given }), io);
  },
};
