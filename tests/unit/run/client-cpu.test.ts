// The log line on the client's own CPU in the profiling phase.
import { describe, expect, test } from "bun:test";
import { clientCpuLine, type PhaseCpu } from "../../../src/run/client-cpu.ts";

describe("clientCpuLine", () => {
  const cases: [string, PhaseCpu, number, string][] = [
    [
      "one worker",
      { wallNs: 8e9, processCpuUs: 2_400_000, workerCpuUs: [1_600_000], mainCpuUs: 400_000 },
      2000,
      "client CPU in the profiling phase: 2.40 s in 8.00 s (0.30 cores), 1.200 ms a request; load worker busy 20%, main thread 5%",
    ],
    [
      "several workers, each its own share of the wall time",
      { wallNs: 2e9, processCpuUs: 3_000_000, workerCpuUs: [1_900_000, 500_000, 0], mainCpuUs: 600_000 },
      100,
      "client CPU in the profiling phase: 3.00 s in 2.00 s (1.50 cores), 30.000 ms a request; load workers busy 95%, 25%, 0%, main thread 30%",
    ],
    [
      "no request recorded: no cost per request",
      { wallNs: 1e9, processCpuUs: 10_000, workerCpuUs: [5_000], mainCpuUs: 5_000 },
      0,
      "client CPU in the profiling phase: 0.01 s in 1.00 s (0.01 cores); load worker busy 1%, main thread 1%",
    ],
    [
      "a phase that took no time divides by nothing",
      { wallNs: 0, processCpuUs: 0, workerCpuUs: [0], mainCpuUs: 0 },
      5,
      "client CPU in the profiling phase: 0.00 s in 0.00 s (0.00 cores), 0.000 ms a request; load worker busy 0%, main thread 0%",
    ],
  ];
  for (const [what, cpu, requests, line] of cases) test(what, () => expect(clientCpuLine(cpu, requests)).toBe(line));
});
