// A closed-loop profiling phase that starts now, as the engine tests run one.
import type { Dataset } from "../../src/dataset/plan-types.ts";
import type { PhaseSpec } from "../../src/engine/worker-protocol.ts";
import { planPhase } from "../../src/run/phase-plan.ts";
import { epochNs } from "../../src/runtime/clock.ts";

/** `requests` requests of `dataset` over `concurrency` lanes, no ramp, duration or cancellation. */
export function closedLoopPhase(dataset: Dataset, requests: number, concurrency: number): PhaseSpec {
  return {
    ...planPhase({
      phase: "profiling",
      load: { kind: "concurrency", concurrency, rampNs: 0 },
      dataset,
      requestLimit: requests,
      durationNs: null,
      seed: 1,
      prefillCap: null,
      cancellation: null,
      requestBase: 0,
      sessionBase: 0,
      fedPrompts: false,
      onePass: false,
    }),
    startNs: epochNs(),
  };
}
