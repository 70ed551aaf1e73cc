// The log line on the client's own CPU in the profiling phase, and the warning when a load worker was busy nearly all of it.
import { describe, expect, test } from "bun:test";
import { BUSY_WARN_SHARE, clientBusyWarning, clientCpuLine, type PhaseCpu } from "../../../src/run/client-cpu.ts";

const w = (cpuUs: number, spinUs = 0, napUs = 0) => ({ cpuUs, spinUs, napUs });

describe("clientCpuLine", () => {
  const cases: [string, PhaseCpu, number, string][] = [
    [
      "one worker that never spun",
      { wallNs: 8e9, processCpuUs: 2_400_000, workers: [w(1_600_000)], mainCpuUs: 400_000, cores: 2 },
      2000,
      "client CPU in the profiling phase: 2.40 s in 8.00 s (0.30 of 2 cores), 1.200 ms a request; load worker busy 20%, main thread 5%",
    ],
    [
      "spin-waits are said apart and left out of the busy share",
      { wallNs: 1e9, processCpuUs: 900_000, workers: [w(800_000, 500_000)], mainCpuUs: 50_000, cores: 1 },
      1000,
      "client CPU in the profiling phase: 0.90 s in 1.00 s (0.90 of 1 core), 0.900 ms a request; load worker busy 30% (and 50% spinning until sends were due), main thread 5%",
    ],
    [
      "several workers, each its own share of the wall time; the spin share is of all their time",
      { wallNs: 2e9, processCpuUs: 3_000_000, workers: [w(1_900_000), w(500_000, 400_000), w(0)], mainCpuUs: 600_000, cores: 4 },
      100,
      "client CPU in the profiling phase: 3.00 s in 2.00 s (1.50 of 4 cores), 30.000 ms a request; load workers busy 95%, 5%, 0% (and 7% spinning until sends were due), main thread 30%",
    ],
    [
      "naps are said after the spin-waits, as a share of the workers' time; not CPU, so not in the busy share",
      { wallNs: 1e9, processCpuUs: 700_000, workers: [w(600_000, 100_000, 300_000), w(100_000, 0, 100_000)], mainCpuUs: 50_000, cores: 2 },
      1000,
      "client CPU in the profiling phase: 0.70 s in 1.00 s (0.70 of 2 cores), 0.700 ms a request; load workers busy 50%, 10% (and 5% spinning until sends were due, 20% napping while storing, receiving or counting fell behind), main thread 5%",
    ],
    [
      "naps alone, and a share under half a percent left unsaid",
      { wallNs: 1e9, processCpuUs: 300_000, workers: [w(200_000, 4_000, 250_000)], mainCpuUs: 50_000, cores: 2 },
      1000,
      "client CPU in the profiling phase: 0.30 s in 1.00 s (0.30 of 2 cores), 0.300 ms a request; load worker busy 20% (and 25% napping while storing, receiving or counting fell behind), main thread 5%",
    ],
    [
      "no request recorded: no cost per request",
      { wallNs: 1e9, processCpuUs: 10_000, workers: [w(5_000)], mainCpuUs: 5_000, cores: 2 },
      0,
      "client CPU in the profiling phase: 0.01 s in 1.00 s (0.01 of 2 cores); load worker busy 1%, main thread 1%",
    ],
    [
      "a phase that took no time divides by nothing",
      { wallNs: 0, processCpuUs: 0, workers: [w(0)], mainCpuUs: 0, cores: 2 },
      5,
      "client CPU in the profiling phase: 0.00 s in 0.00 s (0.00 of 2 cores), 0.000 ms a request; load worker busy 0%, main thread 0%",
    ],
  ];
  for (const [what, cpu, requests, line] of cases) test(what, () => expect(clientCpuLine(cpu, requests)).toBe(line));
});

describe("clientBusyWarning", () => {
  const phase = (...workers: { cpuUs: number; spinUs: number; napUs: number }[]): PhaseCpu => ({
    wallNs: 1e9,
    processCpuUs: 0,
    workers,
    mainCpuUs: 0,
    cores: 2,
  });
  /** The whole process's CPU over 1 s on `cores`, its workers' spin-waits included in it. */
  const whole = (processCpuUs: number, cores: number, ...workers: { cpuUs: number; spinUs: number; napUs: number }[]): PhaseCpu => ({
    wallNs: 1e9,
    processCpuUs,
    workers,
    mainCpuUs: 0,
    cores,
  });
  const atLimit = BUSY_WARN_SHARE * 1e6;
  const cases: [string, PhaseCpu, string | null][] = [
    ["no worker near its limit", phase(w(500_000), w(atLimit - 1)), null],
    ["busy only by spinning until sends were due: no warning", phase(w(990_000, 600_000)), null],
    [
      "one worker at the limit",
      phase(w(200_000), w(atLimit)),
      "load worker 1 was busy 90% of the profiling phase: the client was near its limit, so its own queueing may be in the latencies; give it more --workers (and cores for them), or fewer streams",
    ],
    [
      "several",
      phase(w(970_000, 10_000), w(990_000)),
      "load workers 0, 1 were busy 96%, 99% of the profiling phase: the client was near its limit, so its own queueing may be in the latencies; give it more --workers (and cores for them), or fewer streams",
    ],
    [
      "no worker at the limit, but the process used nearly all of its one core (threads sharing it)",
      whole(950_000, 1, w(850_000)),
      "the client used 95% of the core it may run on in the profiling phase: the client was near its limit, so its own queueing may be in the latencies; give it more cores, or fewer streams",
    ],
    ["the process's spin-waits are left out of its share too", whole(1_900_000, 2, w(850_000, 300_000), w(850_000, 300_000)), null],
    [
      "of two cores",
      whole(1_850_000, 2, w(880_000), w(880_000)),
      "the client used 93% of the 2 cores it may run on in the profiling phase: the client was near its limit, so its own queueing may be in the latencies; give it more cores, or fewer streams",
    ],
    ["a process well under its cores", whole(1_000_000, 2, w(880_000)), null],
  ];
  for (const [what, cpu, warning] of cases) test(what, () => expect(clientBusyWarning(cpu)).toBe(warning));
});
