// Fault injection: at most one fault per request, drawn by percentage or forced by header.

export type Fault = "500" | "429" | "drop" | "malformed" | "stall";
const FAULTS: readonly Fault[] = ["500", "429", "drop", "malformed", "stall"];
export const FAULT_HEADER = "x-mock-fault";

export interface FaultPcts {
  fault500Pct: number;
  fault429Pct: number;
  faultDropPct: number;
  faultMalformedPct: number;
  faultStallPct: number;
}

/** `u` in [0, 1) picks a fault from consecutive percentage ranges in FAULTS order, or none. */
export function chooseFault(p: FaultPcts, u: number): Fault | null {
  const ranges: [Fault, number][] = [
    ["500", p.fault500Pct],
    ["429", p.fault429Pct],
    ["drop", p.faultDropPct],
    ["malformed", p.faultMalformedPct],
    ["stall", p.faultStallPct],
  ];
  const x = u * 100;
  let edge = 0;
  for (const [fault, pct] of ranges) {
    edge += pct;
    if (x < edge) return fault;
  }
  return null;
}

export type FaultHeader = { kind: "absent" } | { kind: "forced"; fault: Fault | null } | { kind: "invalid" };

/** X-Mock-Fault: 500|429|drop|malformed|stall|none (case-insensitive). */
export function parseFaultHeader(value: string | null): FaultHeader {
  if (value === null) return { kind: "absent" };
  const v = value.trim().toLowerCase();
  if (v === "none") return { kind: "forced", fault: null };
  const f = FAULTS.find((x) => x === v);
  return f ? { kind: "forced", fault: f } : { kind: "invalid" };
}

/**
 * Chunk index at whose slot a "drop" fault cuts the connection: half the chunks get through
 * (at least one). Equal to `chunks` when the cut replaces the closing usage/[DONE].
 */
export function dropAtChunk(chunks: number): number {
  return Math.max(1, Math.floor(chunks / 2));
}

/** Chunk index whose JSON a "malformed" fault truncates. */
export function malformedChunk(chunks: number): number {
  return Math.floor(chunks / 2);
}

/** Cuts a JSON text in half so no parser accepts it. */
export function truncateJson(json: string): string {
  return json.slice(0, Math.max(1, Math.floor(json.length / 2)));
}
