import { type } from "arktype";
import type { Command } from "./command.ts";
import type { FlagsDef } from "../config/flag-spec.ts";
import { positiveInt } from "../config/common-types.ts";
import { startMockServer } from "../mock/server.ts";
import { runProfile } from "../run/profile-run.ts";
import { defaultArtifactDir, defaultWorkers, resolveProfileConfig } from "../config/profile-config.ts";
import { createLogger } from "../runtime/io.ts";
import { parseGoodput } from "../metrics/goodput.ts";

const flags: FlagsDef = {
  concurrency: { type: "string", description: "Requests in flight at once", default: "16", valueHint: "n" },
  "request-count": { type: "string", description: "Requests to send", default: "160", valueHint: "n" },
  "artifact-dir": { type: "string", description: "Where results go", default: defaultArtifactDir("mock-model", "chat", "concurrency16"), valueHint: "dir" },
};

const schema = type({ concurrency: positiveInt, requestCount: positiveInt, artifactDir: "string > 0" });

/** SLOs the demo shows goodput against (display units). */
const DEMO_GOODPUT = "time_to_first_token:40 inter_token_latency:10";

export const demoCommand: Command = {
  name: "demo",
  description: "Start the built-in mock server and benchmark it (no server or network needed)",
  flags,
  examples: ["llmbench demo", 'llmbench demo --concurrency 32 --request-count 1000 && llmbench query artifacts/mock-model-openai-chat-concurrency16 "select count(*) from requests"'],
  async run({ validate, io }) {
    const d = validate(schema);
    const mock = await startMockServer({ host: "127.0.0.1", port: 0, ttftMs: 30, itlMs: 8, jitterPct: 10 });
    createLogger(io).info(`built-in mock server on ${mock.url} (TTFT 30 ms, ITL 8 ms, 10% jitter)`);
    try {
      const { config } = resolveProfileConfig(
        {
          url: [mock.url],
          model: "mock-model",
          endpointType: "chat",
          streaming: true,
          requestTimeoutSeconds: 60,
          tokenizer: "builtin",
          tokenizerRevision: "main",
          concurrency: d.concurrency,
          requestCount: d.requestCount,
          benchmarkGracePeriod: 30,
          warmupRequestCount: 0,
          isl: 128,
          osl: 64,
          randomSeed: 0,
          numDatasetEntries: 100,
          artifactDir: d.artifactDir,
          goodput: [DEMO_GOODPUT],
          ui: "auto",
          workers: defaultWorkers(d.concurrency),
          transport: "http",
          insecure: false,
        },
        { stderrIsTTY: io.stderrIsTTY },
      );
      return await runProfile(config, io, { slos: parseGoodput(config.goodput, { streaming: true }).slos });
    } finally {
      await mock.stop();
    }
  },
};
