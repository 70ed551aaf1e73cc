// planPhase inputs and phases as the engine and plan tests build them.
import type { LoadSpec } from "../../src/config/load-spec.ts";
import type { Dataset } from "../../src/dataset/plan-types.ts";
import type { PhaseSpec } from "../../src/engine/worker-protocol.ts";
import { type PhasePlanInput, planPhase, UNLIMITED } from "../../src/run/phase-plan.ts";
import { epochNs } from "../../src/runtime/clock.ts";

/**
 * A profiling phase's plan input for `load` over `dataset`: no request limit, duration, prefill cap,
 * cancellation or fed prompts, seed 1, counting from 0; `over` sets what a test varies (an undefined
 * value leaves the default).
 */
export function planInput(load: LoadSpec, dataset: Dataset, over: Partial<PhasePlanInput> = {}): PhasePlanInput {
  const input: PhasePlanInput = {
    phase: "profiling",
    load,
    dataset,
    requestLimit: UNLIMITED,
    durationNs: null,
    seed: 1,
    prefillCap: null,
    cancellation: null,
    requestBase: 0,
    sessionBase: 0,
    fedPrompts: false,
  };
  for (const [k, v] of Object.entries(over)) if (v !== undefined) (input as unknown as Record<string, unknown>)[k] = v;
  return input;
}

/** `requests` requests of `dataset` over `concurrency` lanes, no ramp, duration or cancellation, starting now. */
export function closedLoopPhase(dataset: Dataset, requests: number, concurrency: number): PhaseSpec {
  return { ...planPhase(planInput({ kind: "concurrency", concurrency, rampNs: 0 }, dataset, { requestLimit: requests })), startNs: epochNs() };
}
