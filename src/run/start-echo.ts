// The line a profile run starts with: what is about to be measured, as the run understood the flags
// (URL without credentials, model, endpoint, streaming, tokenizer, load and its bound), so a wrong
// default shows before the run, not after it.
import { splitUrlCredentials } from "../client/url-credentials.ts";
import type { LoadSpec } from "../config/load-spec.ts";
import { NO_REQUEST_LIMIT, type ProfileConfig } from "../config/profile-config.ts";

const ramp = (rampNs: number): string => (rampNs > 0 ? ` (ramped over ${rampNs / 1e9} s)` : "");

export function describeLoad(load: LoadSpec): string {
  const cap = (c: number | null): string => (c === null ? "" : `, at most ${c} in flight`);
  if (load.kind === "concurrency") return `${load.concurrency} concurrent request${load.concurrency === 1 ? "" : "s"}${ramp(load.rampNs)}`;
  if (load.kind === "rate") return `${load.ratePerSec} req/s ${load.pattern}${ramp(load.rampNs)}${cap(load.cap)}`;
  if (load.kind === "user_centric")
    return `${load.ratePerSec} req/s user-centric over ${load.numUsers} user${load.numUsers === 1 ? "" : "s"} (turns ${(load.numUsers / load.ratePerSec).toPrecision(3)} s apart)${cap(load.cap)}`;
  return `fixed schedule at ${load.speedup}x${cap(load.cap)}`;
}

/** What ends the profiling phase. */
function describeBound(cfg: ProfileConfig): string {
  if (cfg.benchmarkDuration !== undefined) return `for ${cfg.benchmarkDuration} s`;
  if (cfg.requestCount !== NO_REQUEST_LIMIT) return `${cfg.requestCount} request${cfg.requestCount === 1 ? "" : "s"}`;
  if (cfg.onePass) return "each input-file session once";
  return "the whole schedule";
}

function describeWarmup(cfg: ProfileConfig): string {
  if (cfg.warmupDuration !== undefined) return `, after ${cfg.warmupDuration} s of warmup`;
  if (cfg.warmupRequestCount > 0) return `, after ${cfg.warmupRequestCount} warmup request${cfg.warmupRequestCount === 1 ? "" : "s"}`;
  return "";
}

/** "model M", or "models A, B (round_robin)". */
function describeModels(cfg: ProfileConfig): string {
  return cfg.models.length > 1 ? `models ${cfg.models.join(", ")} (${cfg.modelSelectionStrategy})` : `model ${cfg.model}`;
}

/** One line: "profiling URL: model M, chat endpoint, streaming on, tokenizer T; LOAD, BOUND (N worker(s), T transport)". */
export function startEcho(cfg: ProfileConfig): string {
  const urls = cfg.urls.map((u) => splitUrlCredentials(u).url).join(", ");
  return (
    `profiling ${urls}: ${describeModels(cfg)}, ${cfg.endpointType} endpoint, streaming ${cfg.streaming ? "on" : "off"}, tokenizer ${cfg.tokenizer}; ` +
    `${describeLoad(cfg.load)}, ${describeBound(cfg)}${describeWarmup(cfg)} (${cfg.workers} worker${cfg.workers === 1 ? "" : "s"}, ${cfg.transport} transport)`
  );
}
