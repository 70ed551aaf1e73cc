// `llmbench demo`: the built-in mock server, benchmarked by the same prepared run as `profile` (same
// flag table and defaults, same pre-run checks), with a few profile flags set as a user would type them.
import type { Command } from "./command.ts";
import { flagsSchema, type FlagSpec } from "../config/flag-spec.ts";
import { lazy } from "../config/ark.ts";
import { positiveInt } from "../config/common-types.ts";
import { defaultArtifactDir } from "../config/artifact-name.ts";
import { UsageError } from "../runtime/usage-error.ts";

const flags = {
  concurrency: { type: "string", description: "Requests in flight at once", default: "16", valueHint: "n", schema: positiveInt },
  "request-count": { type: "string", description: "Requests to send", default: "160", valueHint: "n", schema: positiveInt },
  "artifact-dir": {
    type: "string",
    description: "Where results go (an earlier demo run there is replaced)",
    default: defaultArtifactDir("mock-model", "chat", "concurrency16"),
    valueHint: "dir",
  },
} as const satisfies Record<string, FlagSpec>;

const schema = lazy(() => flagsSchema(flags));

/** The mock's latency (ms) and the SLOs (display units) the demo shows goodput against. */
const MOCK = { ttftMs: 30, itlMs: 8, jitterPct: 10 };
const DEMO_GOODPUT = "time_to_first_token:40 inter_token_latency:10";

export const demoCommand: Command = {
  name: "demo",
  description: "Start the built-in mock server and benchmark it (no server or network needed)",
  flags,
  examples: [
    "llmbench demo",
    'llmbench demo --concurrency 32 --request-count 1000 && llmbench query artifacts/mock-model-openai-chat-concurrency16 "select count(*) from requests"',
  ],
  async run({ validate, io }) {
    const d = validate(schema());
    const { startMockServer } = await import("../mock/server.ts");
    const { parseProfileFlags } = await import("../config/profile-config.ts");
    const { prepareProfile } = await import("../run/prepare.ts");
    const { runProfile } = await import("../run/profile-run.ts");
    const { createLogger } = await import("../runtime/io.ts");
    const mock = await startMockServer({ host: "127.0.0.1", port: 0, ...MOCK });
    createLogger(io).info(`built-in mock server on ${mock.url} (TTFT ${MOCK.ttftMs} ms, ITL ${MOCK.itlMs} ms, ${MOCK.jitterPct}% jitter)`);
    try {
      const {
        flags: profileFlags,
        given,
        problems,
      } = parseProfileFlags({
        url: [mock.url],
        model: "mock-model",
        streaming: true,
        tokenizer: "builtin",
        concurrency: String(d.concurrency),
        "request-count": String(d.requestCount),
        isl: "128",
        osl: "64",
        "artifact-dir": d.artifactDir,
        overwrite: true,
        goodput: [DEMO_GOODPUT],
      });
      if (problems.length > 0) throw new UsageError(problems);
      return await runProfile(await prepareProfile(profileFlags, { io, given }), io);
    } finally {
      await mock.stop();
    }
  },
};
