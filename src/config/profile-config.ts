// `llmbench profile` configuration: AIPerf flag names, validated all at once.
// Defaults live in the command's flag table (shown by --help) and are filled in before validation.
import { type } from "arktype";
import { baseUrl, positiveInt, positiveNumber, nonNegativeInt } from "./common-types.ts";

export const profileSchema = type({
  url: baseUrl,
  model: "string > 0",
  "endpointType?": "'chat'",
  streaming: "boolean",
  concurrency: positiveInt,
  "requestCount?": positiveInt,
  isl: positiveInt,
  osl: positiveInt,
  randomSeed: nonNegativeInt,
  requestTimeoutSeconds: positiveNumber,
  "artifactDir?": "string > 0",
  "apiKey?": "string > 0",
});

export type ProfileFlags = typeof profileSchema.infer;

export interface ProfileConfig {
  url: string;
  model: string;
  endpointType: "chat";
  concurrency: number;
  requestCount: number;
  isl: number;
  osl: number;
  randomSeed: number;
  requestTimeoutMs: number;
  artifactDir: string;
  apiKey: string | null;
}

/** AIPerf's default request count: max(10, 2 x concurrency). */
export function defaultRequestCount(concurrency: number): number {
  return Math.max(10, 2 * concurrency);
}

/** AIPerf-style default: artifacts/<model>-openai-<endpoint>-concurrency<N>, model made path-safe. */
export function defaultArtifactDir(model: string, endpointType: string, concurrency: number): string {
  const safe = model.replace(/[^A-Za-z0-9._-]+/g, "_");
  return `artifacts/${safe}-openai-${endpointType}-concurrency${concurrency}`;
}

export function resolveProfileConfig(f: ProfileFlags): ProfileConfig {
  const endpointType = f.endpointType ?? "chat";
  return {
    url: f.url,
    model: f.model,
    endpointType,
    concurrency: f.concurrency,
    requestCount: f.requestCount ?? defaultRequestCount(f.concurrency),
    isl: f.isl,
    osl: f.osl,
    randomSeed: f.randomSeed,
    requestTimeoutMs: f.requestTimeoutSeconds * 1000,
    artifactDir: f.artifactDir ?? defaultArtifactDir(f.model, endpointType, f.concurrency),
    apiKey: f.apiKey ?? null,
  };
}

/** Config as stored in artifacts: secrets replaced. */
export function redactedConfig(c: ProfileConfig): Record<string, unknown> {
  return { ...c, apiKey: c.apiKey === null ? null : "<redacted>" };
}
