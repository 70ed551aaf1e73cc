import { describe, expect, test } from "bun:test";
import type { ProfileFlags } from "../../../src/config/profile-config.ts";
import { runWarnings } from "../../../src/run/run-warnings.ts";
import { startEcho } from "../../../src/run/start-echo.ts";
import { testProfileConfig } from "../../helpers/profile-config.ts";

const URL = "http://127.0.0.1:9";
// The test base is --streaming --concurrency 4; each case changes what a user would type.
const cfg = (over: Partial<ProfileFlags>) => testProfileConfig(URL, over);

describe("runWarnings", () => {
  const cases: [string, Partial<ProfileFlags>, string[]][] = [
    ["a closed-loop run with enough requests per lane", { requestCount: 100 }, []],
    ["--concurrency 1 with the default count (10)", { concurrency: 1, requestCount: undefined }, []],
    ["no --streaming on chat", { streaming: false, requestCount: 100 }, ["--streaming is off: no TTFT or ITL without --streaming"]],
    ["no --streaming on completions", { streaming: false, endpointType: "completions", requestCount: 100 }, ["no TTFT or ITL without --streaming"]],
    ["embeddings (no streaming there)", { streaming: false, endpointType: "embeddings", requestCount: 100 }, []],
    [
      "--request-rate 200 with a 30 s ramp and the default count (10)",
      { requestRate: 200, requestRateRampDuration: 30, requestCount: undefined },
      ["--request-count 10 ends the run 1.7 s into the 30 s --request-rate-ramp-duration, at 11.5 of 200 req/s (the ramp alone sends 3000 requests)"],
    ],
    ["a ramp the count outlasts", { requestRate: 10, requestRateRampDuration: 2, requestCount: 500 }, []],
    [
      "--request-rate 50 with the default count (10)",
      { requestRate: 50, requestCount: undefined },
      ["--request-count 10 at --request-rate 50 is about 0.2 s of load"],
    ],
    ["--request-rate 2 with 100 requests (50 s)", { requestRate: 2, requestCount: 100 }, []],
    ["--request-rate bounded by time", { requestRate: 50, benchmarkDuration: 60, requestCount: undefined }, []],
    [
      "a --benchmark-duration shorter than the rate ramp",
      { requestRate: 100, requestRateRampDuration: 30, benchmarkDuration: 10, requestCount: undefined },
      ["--benchmark-duration 10 s ends the run before the 30 s --request-rate-ramp-duration: the rate reaches only 33.3 of 100 req/s"],
    ],
    [
      "--concurrency 256 with the default count (512)",
      { concurrency: 256, requestCount: undefined },
      [
        "--request-count 512 is 2 requests per lane at --concurrency 256: the first wave (all lanes starting at once) is 50% of the run; give --request-count 1024 or more",
      ],
    ],
    ["--concurrency 4 with the default count (10)", { requestCount: undefined }, ["--request-count 10 is 2.5 requests per lane at --concurrency 4"]],
    [
      "a --benchmark-duration shorter than the concurrency ramp",
      { concurrency: 8, concurrencyRampDuration: 20, benchmarkDuration: 5, requestCount: undefined },
      ["--benchmark-duration 5 s ends the run before the 20 s --concurrency-ramp-duration: not all 8 lanes start"],
    ],
    [
      "no --streaming and too few requests: both, one line each",
      { streaming: false, concurrency: 64, requestCount: 64 },
      ["--streaming is off", "1 request per lane"],
    ],
  ];
  test.each(cases)("%s", (_name, over, want) => {
    const got = runWarnings(cfg(over));
    expect(got.length).toBe(want.length);
    for (const [i, w] of want.entries()) expect(got[i]).toContain(w);
    for (const line of got) expect(line).not.toContain("\n");
  });
});

describe("startEcho", () => {
  test("URL without credentials, model, endpoint, streaming, tokenizer, load and bound on one line", () => {
    const c = testProfileConfig("http://user:s3cret@gpu-box:8000", { requestRate: 50, requestCount: 500, warmupRequestCount: 20 });
    expect(startEcho(c)).toBe(
      "profiling http://gpu-box:8000/v1/chat/completions: model mock-model, chat endpoint, streaming on, tokenizer builtin; " +
        "50 req/s poisson, at most 4 in flight, 500 requests, after 20 warmup requests (1 worker, http1 transport)",
    );
  });
  test("closed loop for a duration, streaming off", () => {
    const c = cfg({ streaming: false, concurrency: 8, concurrencyRampDuration: 4, benchmarkDuration: 60, requestCount: undefined });
    expect(startEcho(c)).toContain("streaming off");
    expect(startEcho(c)).toContain("; 8 concurrent requests (ramped over 4 s), for 60 s (1 worker");
  });
});
