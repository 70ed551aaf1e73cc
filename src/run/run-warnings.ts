// Flag combinations that make a run measure something other than what its flags suggest, said before
// anything is sent: one line each, naming the flag to change. A pure function of the resolved config.
import { ENDPOINT_INFO } from "../client/endpoint-types.ts";
import { NO_REQUEST_LIMIT, type ProfileConfig } from "../config/profile-config.ts";

/** Closed loop: fewer requests per lane than this and the first wave (every lane at once) weighs too much. */
export const MIN_REQUESTS_PER_LANE = 4;

/** Open loop: a request count that gives less load than this (seconds) is over before it says much. */
export const MIN_OPEN_LOOP_SEC = 5;

const round = (x: number, digits = 1): string => String(Number(x.toFixed(digits)));

export function runWarnings(cfg: ProfileConfig): string[] {
  const out: string[] = [];
  if (!cfg.streaming && ENDPOINT_INFO[cfg.endpointType].streams) {
    out.push("--streaming is off: no TTFT or ITL without --streaming (only request latency and throughput are measured)");
  }
  const load = cfg.load;
  const counted = cfg.benchmarkDuration === undefined && cfg.requestCount !== NO_REQUEST_LIMIT;
  const n = cfg.requestCount;
  if (load.kind === "rate") {
    const r = load.ratePerSec;
    const rampSec = load.rampNs / 1e9;
    // A linear ramp from 0 to r over T seconds sends r*T/2 requests; fewer and the run ends on the ramp.
    const rampRequests = (r * rampSec) / 2;
    if (counted && rampSec > 0 && n < rampRequests) {
      const endSec = Math.sqrt((2 * n * rampSec) / r);
      out.push(
        `--request-count ${n} ends the run ${round(endSec)} s into the ${rampSec} s --request-rate-ramp-duration, at ${round((r * endSec) / rampSec)} of ${r} req/s ` +
          `(the ramp alone sends ${Math.ceil(rampRequests)} requests); give a larger --request-count or --benchmark-duration`,
      );
    } else if (counted && rampSec === 0 && n / r < MIN_OPEN_LOOP_SEC) {
      out.push(`--request-count ${n} at --request-rate ${r} is about ${round(n / r, 2)} s of load; give a larger --request-count or --benchmark-duration`);
    }
    if (cfg.benchmarkDuration !== undefined && rampSec > cfg.benchmarkDuration) {
      out.push(
        `--benchmark-duration ${cfg.benchmarkDuration} s ends the run before the ${rampSec} s --request-rate-ramp-duration: the rate reaches only ${round((r * cfg.benchmarkDuration) / rampSec)} of ${r} req/s`,
      );
    }
  } else if (load.kind === "concurrency") {
    const c = load.concurrency;
    const rampSec = load.rampNs / 1e9;
    if (counted && c > 1 && n < MIN_REQUESTS_PER_LANE * c) {
      out.push(
        `--request-count ${n} is ${round(n / c)} request${n === c ? "" : "s"} per lane at --concurrency ${c}: the first wave (all lanes starting at once) is ${Math.round(Math.min(1, c / n) * 100)}% of the run; ` +
          `give --request-count ${MIN_REQUESTS_PER_LANE * c} or more, or --benchmark-duration`,
      );
    }
    if (cfg.benchmarkDuration !== undefined && rampSec > cfg.benchmarkDuration) {
      out.push(`--benchmark-duration ${cfg.benchmarkDuration} s ends the run before the ${rampSec} s --concurrency-ramp-duration: not all ${c} lanes start`);
    }
  }
  return out;
}
