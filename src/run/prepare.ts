// Flags -> a fully resolved, checked run: every check that can fail before a request is sent runs
// here, for the CLI, `demo` and tests alike, and each failure is one line of a UsageError (exit 2).
// Order: flag problems first (cheap, offline), then the tokenizer (may download), the dataset, the
// schedule, and last the servers (TCP probe, then the pre-flight request). Without --model the server
// is asked for it first, after the flag checks.
import type { ConsolaInstance } from "consola";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { probeOrigin } from "../client/readiness.ts";
import { resolveProfileConfig, type ProfileConfig, type ProfileFlags } from "../config/profile-config.ts";
import { processConcurrency } from "../config/shard-config.ts";
import { cachedHubDatasetFile, createHubResolver, hubDatasetFile, type HubDatasetFile } from "../dataset/hf-hub.ts";
import { AIPERF_SHAREGPT_CACHE, SHAREGPT_FILE, SHAREGPT_REPO, SHAREGPT_REVISION } from "../dataset/sharegpt.ts";
import { BUILTIN_TOKENIZER, loadTokenizer, type TextTokenizer } from "../dataset/tokenizer.ts";
import { firstEntryHasTimestamp } from "../dataset/trace-head.ts";
import { parseGoodput, type Slo } from "../metrics/goodput.ts";
import { fdProblem, readFdLimit } from "../runtime/fd-limit.ts";
import { createLogger, type Io } from "../runtime/io.ts";
import { UsageError } from "../runtime/usage-error.ts";
import { cacheRoot } from "../store/native-addon-cache.ts";
import { artifactDirProblem } from "./artifact-dir.ts";
import { loadDataset, type LoadedDataset, type PublicDatasetSource } from "./load-dataset.ts";
import { fixedScheduleProblem } from "./phase-plan.ts";
import { onlyServedModel, preflightServers } from "./preflight-stage.ts";

/** How long the start-up reachability check waits for each server. */
const READY_TIMEOUT_MS = 10_000;

export interface PreparedProfile {
  config: ProfileConfig;
  slos: Slo[];
  tokenizer: TextTokenizer;
  dataset: LoadedDataset;
  /** Absolute artifact directory. */
  dir: string;
}

export interface PrepareContext {
  io: Io;
  /** camelCase names of the flags given explicitly. */
  given: ReadonlySet<string>;
  /** Skip the TCP probe of each --url (tests that point at nothing on purpose). */
  skipProbe?: boolean;
}

function fail(problems: string[]): never {
  throw new UsageError(problems);
}

/** The resolved config and SLOs, or every flag problem at once. */
export function resolveChecked(flags: ProfileFlags, ctx: PrepareContext): { config: ProfileConfig; slos: Slo[]; dir: string; notes: string[] } {
  const traceHasTimestamps =
    flags.customDatasetType === "mooncake_trace" && flags.inputFile !== undefined && firstEntryHasTimestamp(resolve(ctx.io.cwd, flags.inputFile));
  const { config, problems, notes } = resolveProfileConfig(flags, { given: ctx.given, stderrIsTTY: ctx.io.stderrIsTTY, traceHasTimestamps, env: ctx.io.env });
  const goodput = parseGoodput(config.goodput, { streaming: config.streaming });
  problems.push(...goodput.problems);
  // A shard opens its share of the sockets.
  const inFlight = processConcurrency(config);
  const fds = inFlight === null ? null : fdProblem(inFlight, readFdLimit());
  if (fds) problems.push(fds);
  const dir = resolve(ctx.io.cwd, config.artifactDir);
  const dirProblem = artifactDirProblem(dir, config.overwrite);
  if (dirProblem) problems.push(dirProblem);
  if (problems.length > 0) fail(problems);
  return { config, slos: goodput.slos, dir, notes: [...notes, ...goodput.notes] };
}

/** A Hugging Face model id becomes a local snapshot directory, so workers load plain files. */
async function resolveTokenizer(config: ProfileConfig, io: Io): Promise<TextTokenizer> {
  if (config.tokenizer !== BUILTIN_TOKENIZER && !existsSync(resolve(io.cwd, config.tokenizer))) {
    const hub = createHubResolver({ env: io.env, revision: config.tokenizerRevision });
    const files = await hub(config.tokenizer).catch((e: unknown) => fail([e instanceof Error ? e.message : String(e)]));
    if (files) config.tokenizer = dirname(files.tokenizerJson);
  }
  return loadTokenizer(config.tokenizer, join(cacheRoot(io.env), "tokenizers")).catch((e: unknown) => fail([e instanceof Error ? e.message : String(e)]));
}

const SHAREGPT: HubDatasetFile = { repo: SHAREGPT_REPO, revision: SHAREGPT_REVISION, file: SHAREGPT_FILE, what: "--public-dataset sharegpt" };

/**
 * The public dataset's file: none needed with a local --input-file; else the Hugging Face cache, AIPerf's
 * own download cache (./.cache/aiperf/datasets), or a download into the Hugging Face cache.
 */
async function publicDatasetFile(config: ProfileConfig, io: Io, log: ConsolaInstance): Promise<string | undefined> {
  if (config.publicDataset === undefined || config.inputFile !== undefined) return undefined;
  const cached = cachedHubDatasetFile(io.env, SHAREGPT);
  if (cached) return cached;
  const aiperfCopy = resolve(io.cwd, AIPERF_SHAREGPT_CACHE);
  if (existsSync(aiperfCopy)) return aiperfCopy;
  log.info(`--public-dataset sharegpt: downloading ${SHAREGPT_REPO}/${SHAREGPT_FILE} into the Hugging Face cache (once)`);
  return hubDatasetFile(io.env, SHAREGPT).catch((e: unknown) => fail([e instanceof Error ? e.message : String(e)]));
}

/** The whole dataset is read and checked now: a malformed line stops the run before any request. */
function checkedDataset(config: ProfileConfig, tokenizer: TextTokenizer, cwd: string, pub: PublicDatasetSource): LoadedDataset {
  let loaded: LoadedDataset;
  try {
    loaded = loadDataset(config, tokenizer, cwd, pub);
  } catch (e) {
    fail([e instanceof Error ? e.message : String(e)]);
  }
  const scheduleProblem = config.load.kind === "fixed" ? fixedScheduleProblem(loaded.dataset, config.load, config.inputFile ?? null) : null;
  if (scheduleProblem !== null) fail([scheduleProblem]);
  if (loaded.dataset.sessions.length === 0)
    fail([`--input-file ${config.inputFile}: no entries left to send (check the file and the --fixed-schedule offsets)`]);
  // Sent once through, the file's sessions are what the shards split: each needs one.
  const n = loaded.dataset.sessions.length;
  if ((config.onePass || config.load.kind === "fixed") && n < config.shardCount)
    fail([`--input-file ${config.inputFile}: ${n} session${n === 1 ? "" : "s"} to send, fewer than --shard-count ${config.shardCount}; every shard needs one`]);
  return loaded;
}

async function probeServers(urls: readonly string[]): Promise<void> {
  const origins = [...new Set(urls.map((u) => new URL(u).origin))];
  const answers = await Promise.all(origins.map(async (o) => [o, await probeOrigin(o, READY_TIMEOUT_MS)] as const));
  const problems = answers.filter(([, why]) => why !== null).map(([origin, why]) => `--url ${origin}: ${why}; is the server running there?`);
  if (problems.length > 0) fail(problems);
}

/** Stands in for the model while the flags are checked, before the server is asked for it. */
const MODEL_TO_ASK = "model-from-server";

/** No --model: every flag problem first (offline), then the one model the server lists. */
export async function serverModel(flags: ProfileFlags, ctx: PrepareContext, log: ConsolaInstance): Promise<string> {
  const ask = flags.preflight && !ctx.skipProbe;
  // Without the pre-flight nobody asks the server: the resolver reports --model as missing.
  const { config, notes } = resolveChecked(ask ? { ...flags, model: [MODEL_TO_ASK] } : flags, ctx);
  for (const n of notes) log.info(n);
  await probeServers(config.urls);
  return onlyServedModel(config, log);
}

export async function prepareProfile(flags: ProfileFlags, ctx: PrepareContext): Promise<PreparedProfile> {
  const log = createLogger(ctx.io);
  const model = flags.model ?? [await serverModel(flags, ctx, log)];
  const { config, slos, dir, notes } = resolveChecked({ ...flags, model }, ctx);
  if (flags.model !== undefined) for (const n of notes) log.info(n); // else serverModel said them
  const tokenizer = await resolveTokenizer(config, ctx.io);
  const publicFile = await publicDatasetFile(config, ctx.io, log);
  const countCacheDir = join(cacheRoot(ctx.io.env), "sharegpt");
  const dataset = checkedDataset(config, tokenizer, ctx.io.cwd, { publicFile, countCacheDir });
  if (dataset.note !== undefined) log.info(dataset.note);
  if (!ctx.skipProbe) await probeServers(config.urls);
  if (!ctx.skipProbe && config.preflight) await preflightServers(config, dataset.dataset, log);
  return { config, slos, tokenizer, dataset, dir };
}
