import { describe, expect, test } from "bun:test";
import { type BehindInputs, behindCause, behindWarning } from "../../../src/metrics/schedule-behind.ts";

const MS = 1e6;
/** An open-loop run of 100 requests at 50 req/s that kept to its schedule. */
const base: BehindInputs = {
  mode: "rate",
  prefillCap: false,
  requests: 100,
  queued: 0,
  queueMaxNs: 0,
  sendLagP90Ns: 0.3 * MS,
  ratePerSec: 50,
  latencyP50Ns: 550 * MS,
};

describe("behindCause", () => {
  const cases: [string, Partial<BehindInputs>, ReturnType<typeof behindCause>][] = [
    ["the issue's run: nothing queued, small lag", {}, null],
    ["lag p90 2 ms: past the floor but under the 20 ms gap and a tenth of the latency", { sendLagP90Ns: 2 * MS }, null],
    ["lag p90 past the gap between arrivals (1,000 req/s, 5 ms)", { ratePerSec: 1000, sendLagP90Ns: 5 * MS }, "pacer"],
    ["lag p90 a good part of the latency at a slow rate (1 req/s, 500 ms of 1 s)", { ratePerSec: 1, sendLagP90Ns: 500 * MS, latencyP50Ns: 1000 * MS }, "pacer"],
    ["lag past the gap but under the 1 ms floor", { ratePerSec: 5000, sendLagP90Ns: 0.5 * MS }, null],
    ["30 of 100 waited for a slot, up to 200 ms", { queued: 30, queueMaxNs: 200 * MS, sendLagP90Ns: 150 * MS }, "slots"],
    ["one request of 200 waited (0.5%)", { requests: 200, queued: 1, queueMaxNs: 50 * MS }, null],
    ["5% waited, but only a poll tick (0.2 ms)", { queued: 5, queueMaxNs: 0.2 * MS }, null],
    ["fixed schedule: a burst's lag against the trace's mean gap is not compared", { mode: "fixed", ratePerSec: 1000, sendLagP90Ns: 3 * MS }, null],
    ["fixed schedule: lag a good part of the latency", { mode: "fixed", ratePerSec: null, sendLagP90Ns: 200 * MS }, "pacer"],
    ["closed loop waiting for a prefill slot", { mode: "closed", prefillCap: true, ratePerSec: null, queued: 50, queueMaxNs: 30 * MS }, "slots"],
    ["closed loop held while storage caught up", { mode: "closed", storageHeld: true, ratePerSec: null, queued: 50, queueMaxNs: 30 * MS }, "slots"],
    ["no latency known (all failed): only the gap counts", { latencyP50Ns: null, sendLagP90Ns: 10 * MS }, null],
    ["no requests", { requests: 0 }, null],
  ];
  test.each(cases)("%s", (_name, over, want) => {
    expect(behindCause({ ...base, ...over })).toBe(want);
  });
});

describe("behindWarning names the flag to change", () => {
  const cases: [string, BehindInputs, "slots" | "pacer", string[]][] = [
    [
      "open loop, slots",
      { ...base, queued: 30, queueMaxNs: 200 * MS },
      "slots",
      ["30 of 100 requests (30%)", "--concurrency slot", "Raise --concurrency or lower --request-rate."],
    ],
    [
      "open loop with a prefill cap, slots",
      { ...base, prefillCap: true, queued: 30, queueMaxNs: 200 * MS },
      "slots",
      ["--concurrency or --prefill-concurrency slot", "Raise --concurrency or --prefill-concurrency or lower --request-rate."],
    ],
    [
      "closed loop, prefill slots",
      { ...base, mode: "closed", prefillCap: true, ratePerSec: null, queued: 50 },
      "slots",
      ["--prefill-concurrency slot", "Raise --prefill-concurrency."],
    ],
    [
      "closed loop, held while storage caught up: no flag to blame",
      { ...base, mode: "closed", ratePerSec: null, storageHeld: true, queued: 2048, requests: 200000, queueMaxNs: 5063 * MS },
      "slots",
      ["2048 of 200000 requests (1%) waited to be sent (longest 5063 ms), held while storing or counting results caught up.", "give the client more CPU"],
    ],
    [
      "open loop, held while storage caught up, or for a slot",
      { ...base, storageHeld: true, queued: 30, queueMaxNs: 200 * MS },
      "slots",
      [
        "held while storing or counting results caught up or for a --concurrency slot.",
        "give the client more CPU (other processes off its cores) or lower --request-rate.",
      ],
    ],
    [
      "open loop, pacer",
      { ...base, ratePerSec: 1000, sendLagP90Ns: 5 * MS },
      "pacer",
      ["send lag p90 5.00 ms (1.00 ms between arrivals)", "fewer --workers", "or lower --request-rate."],
    ],
    [
      "fixed schedule, pacer",
      { ...base, mode: "fixed", sendLagP90Ns: 200 * MS },
      "pacer",
      ["send lag p90 200 ms;", "fewer --workers", "or lower --trace-speedup."],
    ],
  ];
  test.each(cases)("%s", (_name, x, cause, parts) => {
    const text = behindWarning(cause, x);
    expect(text.startsWith("WARNING: ")).toBe(true);
    expect(text).toContain("request_latency_from_schedule");
    for (const p of parts) expect(text).toContain(p);
  });
});
