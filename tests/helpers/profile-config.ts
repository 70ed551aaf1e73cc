// A ProfileConfig for tests against the mock, built through the same resolver the CLI uses.
import { resolveProfileConfig, type ProfileConfig, type ProfileFlags } from "../../src/config/profile-config.ts";

export function testProfileConfig(mockUrl: string, over: Partial<ProfileFlags> = {}): ProfileConfig {
  const { config, problems } = resolveProfileConfig(
    {
      url: [mockUrl],
      model: "mock-model",
      endpointType: "chat",
      streaming: true,
      requestTimeoutSeconds: 10,
      tokenizer: "builtin",
      tokenizerRevision: "main",
      concurrency: 4,
      benchmarkGracePeriod: 5,
      warmupRequestCount: 0,
      isl: 64,
      randomSeed: 1,
      numDatasetEntries: 10,
      artifactDir: "run",
      ui: "none",
      workers: 1,
      transport: "http",
      insecure: false,
      ...over,
    },
    { stderrIsTTY: false },
  );
  if (problems.length > 0) throw new Error(problems.join("; "));
  return config;
}
