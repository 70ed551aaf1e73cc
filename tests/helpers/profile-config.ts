// Profile runs for tests against the mock, built through the same flag table, resolver and run stages
// the CLI uses; only the server probe is skipped where a test points at nothing on purpose.
import { DuckDBInstance } from "@duckdb/node-api";
import { resolve } from "node:path";
import { parseProfileFlags, resolveProfileConfig, type ProfileConfig, type ProfileFlags } from "../../src/config/profile-config.ts";
import { loadTokenizer } from "../../src/dataset/tokenizer.ts";
import type { Slo } from "../../src/metrics/goodput.ts";
import type { RequestRecord } from "../../src/record/request-record.ts";
import { loadDataset } from "../../src/run/load-dataset.ts";
import type { PreparedProfile } from "../../src/run/prepare.ts";
import { executeProfile, runProfile, type ProfileOutcome } from "../../src/run/profile-run.ts";
import type { Io } from "../../src/runtime/io.ts";
import { readRecords } from "./read-records.ts";

/** What the tests' profile runs start from, as a user would type it. */
const BASE_RAW = {
  model: "mock-model",
  streaming: true,
  "request-timeout-seconds": "10",
  tokenizer: "builtin",
  concurrency: "4",
  "benchmark-grace-period": "5",
  isl: "64",
  "random-seed": "1",
  "num-dataset-entries": "10",
  "artifact-dir": "run",
  ui: "none",
  workers: "1",
};

export function testProfileFlags(mockUrl: string, over: Partial<ProfileFlags> = {}): { flags: ProfileFlags; given: Set<string> } {
  const base = parseProfileFlags({ ...BASE_RAW, url: [mockUrl] });
  if (base.problems.length > 0) throw new Error(base.problems.join("; "));
  const flags = { ...base.flags, ...over } as ProfileFlags;
  const given = new Set([...base.given, ...Object.keys(over).filter((k) => (over as Record<string, unknown>)[k] !== undefined)]);
  for (const [k, v] of Object.entries(over)) if (v === undefined) given.delete(k);
  return { flags, given };
}

export function testProfileConfig(mockUrl: string, over: Partial<ProfileFlags> = {}): ProfileConfig {
  const { flags, given } = testProfileFlags(mockUrl, over);
  const { config, problems } = resolveProfileConfig(flags, { given, stderrIsTTY: false });
  if (problems.length > 0) throw new Error(problems.join("; "));
  return config;
}

/** The run a config describes, loaded as prepareProfile would (without probing the server). */
export async function testPrepared(cfg: ProfileConfig, io: Io, slos: Slo[] = []): Promise<PreparedProfile> {
  const tokenizer = await loadTokenizer(cfg.tokenizer);
  return { config: cfg, slos, tokenizer, dataset: loadDataset(cfg, tokenizer, io.cwd), dir: resolve(io.cwd, cfg.artifactDir) };
}

/** Every record of a finished run, read back from its results.duckdb (tests only: runs keep none in memory). */
export async function runRecords(dbPath: string): Promise<RequestRecord[]> {
  const instance = await DuckDBInstance.create(dbPath, { access_mode: "READ_ONLY" });
  const conn = await instance.connect();
  try {
    const runId = (await conn.runAndReadAll("select run_id from runs")).getRows()[0]![0] as string;
    return await readRecords(conn, runId);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export type TestOutcome = ProfileOutcome & {
  records: RequestRecord[];
  summary: ProfileOutcome["results"]["summary"];
  schedule: ProfileOutcome["results"]["schedule"];
};

/** executeProfile for tests, with the run's records read back from its file. */
export async function runTestProfile(cfg: ProfileConfig, io: Io, opts: { slos?: Slo[] } = {}): Promise<TestOutcome> {
  const out = await executeProfile(await testPrepared(cfg, io, opts.slos), io);
  return { ...out, records: await runRecords(out.dbPath), summary: out.results.summary, schedule: out.results.schedule };
}

/** runProfile (console report and exit code) for tests. */
export async function runTestProfileCli(cfg: ProfileConfig, io: Io, opts: { slos?: Slo[] } = {}): Promise<number> {
  return runProfile(await testPrepared(cfg, io, opts.slos), io);
}
