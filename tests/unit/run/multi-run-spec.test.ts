import { describe, expect, test } from "bun:test";
import { applyDefaults, camelCase, type FlagValue } from "../../../src/config/flag-spec.ts";
import { PROFILE_FLAGS } from "../../../src/config/profile-flags.ts";
import { type SweepLevelFlags, sweepLevelSchema } from "../../../src/config/sweep-axes.ts";
import { toCamelKeys } from "../../../src/config/validate.ts";
import { multiRunSpec } from "../../../src/run/multi-run-spec.ts";

/** The spec of a command line's raw values (kebab-case), as the profile command builds it. */
function spec(raw: Record<string, FlagValue>) {
  const values = applyDefaults({ model: "m", streaming: true, ...raw }, PROFILE_FLAGS);
  const flags = sweepLevelSchema()(toCamelKeys(values));
  if (!("randomSeed" in (flags as object))) throw new Error(`invalid flags: ${String(flags)}`);
  return multiRunSpec(flags as SweepLevelFlags, values, new Set(Object.keys(raw).map(camelCase)));
}

describe("multiRunSpec", () => {
  test("a sweep with repeats: points, steps, the default directory name", () => {
    const { spec: s, problems } = spec({ concurrency: "8,16", "num-profile-runs": "2", "confidence-level": "0.9", gpus: "4" });
    expect(problems).toEqual([]);
    if (s.kind !== "sweep") throw new Error(s.kind);
    expect(s.points.map((p) => p.label)).toEqual(["concurrency=8", "concurrency=16"]);
    expect(s.steps.map((x) => x.dir)).toEqual(["concurrency_0008/run_01", "concurrency_0016/run_01", "concurrency_0008/run_02", "concurrency_0016/run_02"]);
    expect([s.repeats, s.confidence, s.gpus, s.stimulus]).toEqual([2, 0.9, 4, "concurrency_sweep"]);
  });

  test("repeats alone keep the run's own directory name; --num-profile-runs 1 alone is a single run", () => {
    const r = spec({ "num-profile-runs": "3" }).spec;
    expect(r.kind === "sweep" && r.stimulus).toBeNull();
    expect(spec({ "num-profile-runs": "1" })).toEqual({ spec: { kind: "single" }, problems: [] });
  });

  test("a search: bounds, precision, and the SLA flags as --goodput SLOs after the user's", () => {
    const { spec: s, problems } = spec({
      "search-recipe": "max-concurrency-under-sla",
      goodput: ["inter_token_latency:20"],
      "ttft-sla-ms": "200",
      "e2e-sla-ms": "2000",
      "concurrency-max": "64",
    });
    expect(problems).toEqual([]);
    if (s.kind !== "search") throw new Error(s.kind);
    expect([s.flag, s.lo, s.hi, s.maxProbes, s.precision, s.target, s.stimulus]).toEqual(["concurrency", 1, 64, 20, 0.05, 0.95, "concurrency_search"]);
    expect(s.goodput).toEqual(["inter_token_latency:20", "time_to_first_token:200", "request_latency:2000"]);
    const rate = spec({ "search-recipe": "max-request-rate-under-sla", "itl-sla-ms": "15", concurrency: "64", "request-rate-max": "50" }).spec;
    expect(rate.kind === "search" && [rate.flag, rate.lo, rate.hi, rate.goodput]).toEqual(["request-rate", 1, 50, ["inter_token_latency:15"]]);
  });

  const REFUSED: [Record<string, FlagValue>, string][] = [
    [{ "sweep-type": "zip" }, "--sweep-type applies to a sweep: give a comma list, e.g. --concurrency 8,16,32"],
    [{ "parameter-sweep-cooldown-seconds": "5" }, "--parameter-sweep-cooldown-seconds applies to a sweep or a --search-recipe"],
    [
      { concurrency: "8,16", "parameter-sweep-mode": "independent" },
      "--parameter-sweep-mode orders a sweep's repeated runs: it needs a comma list and --num-profile-runs above 1",
    ],
    [{ concurrency: "8,16", "confidence-level": "0.99" }, "--confidence-level applies when --num-profile-runs is above 1"],
    [{ gpus: "8" }, "--gpus applies to a sweep, repeats or a search (per-GPU throughput beside per-user speed)"],
    [{ concurrency: "8,16", "ttft-sla-ms": "100" }, "--ttft-sla-ms applies to --search-recipe"],
    [
      { "search-recipe": "max-concurrency-under-sla" },
      '--search-recipe max-concurrency-under-sla needs SLOs: --goodput "time_to_first_token:200 inter_token_latency:20", or --ttft-sla-ms / --itl-sla-ms / --e2e-sla-ms',
    ],
    [
      { "search-recipe": "max-concurrency-under-sla", "ttft-sla-ms": "100", concurrency: "8" },
      "--search-recipe max-concurrency-under-sla sets --concurrency itself (between --concurrency-min and --concurrency-max)",
    ],
    [
      { "search-recipe": "max-concurrency-under-sla", "ttft-sla-ms": "100", "concurrency-min": "64", "concurrency-max": "8" },
      "--concurrency-max (8) must be above --concurrency-min (64)",
    ],
    [
      { "search-recipe": "max-request-rate-under-sla", "ttft-sla-ms": "100", "request-rate": "5" },
      "--search-recipe max-request-rate-under-sla sets --request-rate itself (between --request-rate-min and --request-rate-max)",
    ],
    [
      { "search-recipe": "max-request-rate-under-sla", "e2e-sla-ms": "100", "concurrency-max": "5" },
      "--concurrency-max applies to --search-recipe max-concurrency-under-sla (with a rate search, --concurrency caps requests in flight)",
    ],
    [
      { "search-recipe": "max-concurrency-under-sla", "ttft-sla-ms": "100", isl: "128,256" },
      "--search-recipe sets the load itself; drop the comma list on --isl",
    ],
    [
      { "search-recipe": "max-concurrency-under-sla", "ttft-sla-ms": "100", streaming: false },
      "--ttft-sla-ms needs --streaming (the first token and the gaps are only seen in a stream)",
    ],
  ];
  test.each(REFUSED)("%p is refused", (raw, problem) => {
    expect(spec(raw).problems).toEqual([problem]);
  });
});
