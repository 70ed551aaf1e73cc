// --seq-dist / --sequence-distribution: a mix of (ISL, OSL) pairs with probabilities, as AIPerf's
// DistributionParser (aiperf/common/models/sequence_distribution.py) reads it. Three forms:
//   semicolon  "256,128:40;512|20,256|10:60"          ISL[|ISL_STDDEV],OSL[|OSL_STDDEV]:PERCENT; empty parts skipped
//   bracket    "[(256,128):40,(512|20,256|10):60]"
//   JSON       '{"pairs": [{"isl": 256, "isl_stddev": 10, "osl": 128, "osl_stddev": 5, "prob": 40}, ...]}'
// Probabilities are percentages in [0, 100] summing to 100 within AIPerf's np.isclose tolerance
// (|sum - 100| <= 1e-6 + 1e-6 * 100); fractions (0.4;0.6) are rejected, as AIPerf does. ISL and OSL
// must be positive integers, stddevs non-negative. Stricter than AIPerf: text between bracket pairs
// that is not a pair is an error (AIPerf skips it).
import { standardNormal, type Uniform } from "../random/distributions.ts";

export interface SeqDistPair {
  isl: number;
  islStddev: number;
  osl: number;
  oslStddev: number;
  /** Probability in percent, 0..100. */
  percent: number;
}

export interface SeqDist {
  pairs: SeqDistPair[];
  /** Cumulative probability (a fraction) up to and including each pair. */
  cumulative: number[];
}

const NUM = String.raw`([0-9]*\.?[0-9]+)`;
const PAIR_BODY = String.raw`(\d+)(?:\|${NUM})?\s*,\s*(\d+)(?:\|${NUM})?`;
const SEMICOLON_PAIR = new RegExp(String.raw`^${PAIR_BODY}\s*:\s*${NUM}$`);
const BRACKET_PAIR = new RegExp(String.raw`\(\s*${PAIR_BODY}\s*\)\s*:\s*${NUM}`, "g");
const SUM_TOLERANCE = 1e-6 + 1e-6 * 100;
const FORMAT_HINT = `expected "ISL[|ISL_STDDEV],OSL[|OSL_STDDEV]:PERCENT;..." such as "256,128:40;512|20,256:60" (percentages summing to 100)`;

/** Parses a --seq-dist value; throws an Error with a one-line message naming --seq-dist. */
export function parseSeqDist(spec: string): SeqDist {
  const fail = (why: string): never => {
    throw new Error(`--seq-dist ${JSON.stringify(spec)}: ${why}; ${FORMAT_HINT}`);
  };
  const s = spec.trim();
  if (s === "") fail("empty");
  let pairs: SeqDistPair[];
  if (s.startsWith("{")) pairs = parseJson(s, fail);
  else if (s.startsWith("[") && s.endsWith("]")) pairs = parseBracket(s.slice(1, -1), fail);
  else pairs = parseSemicolon(s, fail);
  if (pairs.length === 0) fail("no pairs");
  for (const p of pairs) {
    if (!Number.isSafeInteger(p.isl) || p.isl <= 0) fail(`ISL must be a positive integer, got ${p.isl}`);
    if (!Number.isSafeInteger(p.osl) || p.osl <= 0) fail(`OSL must be a positive integer, got ${p.osl}`);
    if (!(p.percent >= 0 && p.percent <= 100)) fail(`a probability must be a percentage in [0, 100], got ${p.percent}`);
    if (!(p.islStddev >= 0) || !(p.oslStddev >= 0)) fail("a stddev must be a non-negative number");
  }
  const total = pairs.reduce((a, p) => a + p.percent, 0);
  if (Math.abs(total - 100) > SUM_TOLERANCE) {
    fail(
      Math.abs(total - 1) < 1e-6 ? "probabilities sum to 1: they are percentages (0-100), not fractions" : `probabilities sum to ${+total.toFixed(6)}, not 100`,
    );
  }
  let acc = 0;
  const cumulative = pairs.map((p) => (acc += p.percent / 100));
  return { pairs, cumulative };
}

/**
 * One (ISL, OSL) draw: a pair by its probability, then each length around the pair's mean when it
 * has a stddev. As AIPerf's distribution sampler: max(1, round(normal)), rounding half to even (not
 * the ceil-and-reject of positiveNormalInt).
 */
export function samplePair(u: Uniform, dist: SeqDist): { isl: number; osl: number } {
  const r = u();
  // First pair whose cumulative probability exceeds r (numpy searchsorted side="right"), clamped.
  let lo = 0;
  let hi = dist.pairs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((dist.cumulative[mid] ?? 1) > r) hi = mid;
    else lo = mid + 1;
  }
  const p = dist.pairs[lo]!;
  return { isl: around(u, p.isl, p.islStddev), osl: around(u, p.osl, p.oslStddev) };
}

function around(u: Uniform, mean: number, stddev: number): number {
  if (stddev <= 0) return mean;
  return Math.max(1, roundHalfEven(mean + stddev * standardNormal(u)));
}

/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

type Fail = (why: string) => never;

function pairOf(m: RegExpMatchArray | RegExpExecArray): SeqDistPair {
  const [, isl, islSd, osl, oslSd, prob] = m;
  return {
    isl: Number(isl),
    islStddev: islSd === undefined ? 0 : Number(islSd),
    osl: Number(osl),
    oslStddev: oslSd === undefined ? 0 : Number(oslSd),
    percent: Number(prob),
  };
}

function parseSemicolon(s: string, fail: Fail): SeqDistPair[] {
  const pairs: SeqDistPair[] = [];
  for (const raw of s.split(";")) {
    const part = raw.trim();
    if (part === "") continue;
    const m = SEMICOLON_PAIR.exec(part);
    if (!m) fail(`bad pair ${JSON.stringify(part)}`);
    else pairs.push(pairOf(m));
  }
  return pairs;
}

function parseBracket(body: string, fail: Fail): SeqDistPair[] {
  const pairs: SeqDistPair[] = [];
  let last = 0;
  for (const m of body.matchAll(BRACKET_PAIR)) {
    const between = body.slice(last, m.index);
    if (!/^[\s,]*$/.test(between)) fail(`bad pair near ${JSON.stringify(between.trim())}`);
    pairs.push(pairOf(m));
    last = m.index + m[0].length;
  }
  const rest = body.slice(last);
  if (!/^[\s,]*$/.test(rest)) fail(`bad pair near ${JSON.stringify(rest.trim())}`);
  return pairs;
}

function parseJson(s: string, fail: Fail): SeqDistPair[] {
  let data: unknown;
  try {
    data = JSON.parse(s);
  } catch (e) {
    return fail(`invalid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const list = (data as { pairs?: unknown } | null)?.pairs;
  if (!Array.isArray(list)) return fail(`JSON form needs {"pairs": [...]}`);
  return list.map((raw: unknown, i) => {
    const o = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    const num = (key: string, dflt?: number): number => {
      const v = o[key] ?? dflt;
      if (typeof v !== "number") return fail(`pair ${i} needs a number "${key}"${dflt === undefined ? "" : " or none"}, got ${JSON.stringify(v)}`);
      return v;
    };
    return { isl: num("isl"), islStddev: num("isl_stddev", 0), osl: num("osl"), oslStddev: num("osl_stddev", 0), percent: num("prob") };
  });
}
