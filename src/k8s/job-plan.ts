// `llmbench k8s job` flags -> the JobPlan the manifests are built from. The profile flags after `--`
// are checked here as `profile` would check them for one shard, so a bad flag is found before any
// pod starts; the flags the manifest sets itself (shard, start, artifact dir, UI, key) are refused.
import { parseProfileFlags, resolveProfileConfig, defaultWorkers } from "../config/profile-config.ts";
import { formatRfc3339, parseRfc3339Ns } from "../config/rfc3339.ts";
import { processConcurrency } from "../config/shard-config.ts";
import type { FlagValue } from "../config/flag-spec.ts";
import type { BinarySource, JobPlan } from "./job-manifest.ts";

export interface K8sJobFlags {
  name: string;
  namespace?: string;
  shards: number;
  image?: string;
  binaryUrl?: string;
  binarySha256?: string;
  binaryPath: string;
  fetchImage: string;
  waitImage: string;
  pvc: string;
  startAt?: string;
  startIn: number;
  cpu: string;
  memory?: string;
  mergeCpu: string;
  mergeMemory: string;
  apiKeySecret?: string;
  mergeWait?: number;
}

/** The image a downloaded binary runs in: it needs glibc, nothing else. */
export const DEFAULT_RUN_IMAGE = "debian:bookworm-slim";

/** Set by the manifest for every shard: not the user's to give. */
const SET_BY_MANIFEST: Record<string, string> = {
  artifactDir: "--artifact-dir (each shard writes <pvc>/<name>/shard-<index>)",
  shardIndex: "--shard-index (each pod's completion index)",
  shardCount: "--shard-count (--shards)",
  startAt: "--start-at (give it to k8s job, or --start-in)",
  ui: "--ui (none in a pod)",
  apiKey: "--api-key (a manifest is no place for a key: --api-key-secret NAME/KEY)",
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/;

/** CPU cores of a Kubernetes quantity ("2", "1500m"). */
function cores(q: string): number {
  return q.endsWith("m") ? Number(q.slice(0, -1)) / 1000 : Number(q);
}

/**
 * Memory for a shard of `streams` concurrent streams: bench/capacity.md measured about 520 MiB plus
 * 60 KiB a stream (peak RSS, the end-of-run summary included); 64 KiB a stream, a quarter on top,
 * rounded up to 256 Mi. Without a known stream count (open loop without a cap), 2 Gi.
 */
export function shardMemory(streams: number | null): string {
  if (streams === null) return "2Gi";
  const mib = (512 + streams / 16) * 1.25;
  return `${Math.ceil(mib / 256) * 256}Mi`;
}

export interface PlanOutcome {
  plan: JobPlan | null;
  problems: string[];
  /** Said on stderr: what was chosen for the user. */
  notes: string[];
}

/** The `profile` flags after `--`: as typed, and as the argv parser read them against the profile flag table. */
export interface ProfileArgs {
  args: readonly string[];
  values: Record<string, FlagValue>;
  problems: readonly string[];
}

export function jobPlan(k: K8sJobFlags, profile: ProfileArgs, nowMs: number): PlanOutcome {
  const problems: string[] = [];
  const notes: string[] = [];
  if (!DNS_LABEL.test(k.name) || k.name.length > 50) problems.push(`--name ${k.name}: lower-case letters, digits and '-', at most 50 (a Kubernetes name)`);
  if (k.namespace !== undefined && !DNS_LABEL.test(k.namespace)) problems.push(`--namespace ${k.namespace}: not a Kubernetes namespace name`);
  for (const [flag, q] of [
    ["--cpu", k.cpu],
    ["--memory", k.memory],
    ["--merge-cpu", k.mergeCpu],
    ["--merge-memory", k.mergeMemory],
  ] as const) {
    if (q !== undefined && !QUANTITY.test(q)) problems.push(`${flag} ${q}: a Kubernetes quantity, e.g. 2, 500m, 4Gi`);
  }
  let binary: BinarySource | null = null;
  if (k.binaryUrl !== undefined) {
    if (!/^https?:\/\//.test(k.binaryUrl)) problems.push(`--binary-url ${k.binaryUrl}: an http(s) URL of the llmbench binary for the pods' platform`);
    if (k.binarySha256 !== undefined && !/^[0-9a-f]{64}$/.test(k.binarySha256)) problems.push(`--binary-sha256: 64 lower-case hex digits`);
    binary = { kind: "download", url: k.binaryUrl, sha256: k.binarySha256 ?? null, image: k.image ?? DEFAULT_RUN_IMAGE, fetchImage: k.fetchImage };
  } else if (k.image !== undefined) {
    binary = { kind: "image", image: k.image, path: k.binaryPath };
  } else {
    problems.push("the pods need the binary: --image (an image holding llmbench at --binary-path) or --binary-url (downloaded by an init container)");
  }
  let apiKeySecret: JobPlan["apiKeySecret"] = null;
  if (k.apiKeySecret !== undefined) {
    const [name, key, ...rest] = k.apiKeySecret.split("/");
    if (name === undefined || key === undefined || rest.length > 0 || !DNS_LABEL.test(name) || key === "") {
      problems.push(`--api-key-secret ${k.apiKeySecret}: NAME/KEY of a Secret in the Job's namespace`);
    } else apiKeySecret = { name, key };
  }
  let startAtNs: number;
  if (k.startAt !== undefined) {
    const ns = parseRfc3339Ns(k.startAt);
    if (ns === null) problems.push(`--start-at ${k.startAt}: not an RFC 3339 time; use e.g. 2026-12-01T10:00:00Z`);
    startAtNs = ns ?? 0;
  } else {
    // Whole seconds, a little ahead: pods need time to be scheduled, pull and start.
    startAtNs = Math.ceil((nowMs + k.startIn * 1000) / 1000) * 1e9;
    notes.push(`every shard starts at ${formatRfc3339(startAtNs)} (--start-in ${k.startIn} s from now): apply the manifest before then`);
  }

  // The profile flags, checked as shard 0 of the run would check them.
  problems.push(...profile.problems.map((p) => `after --: ${p}`));
  const { flags, given, problems: schemaProblems } = parseProfileFlags(profile.values);
  problems.push(...schemaProblems.map((p) => `after --: ${p}`));
  for (const [flag, why] of Object.entries(SET_BY_MANIFEST)) if (given.has(flag)) problems.push(`after --: ${why} is set by the manifest`);
  let workersArg: string[] = [];
  let streams: number | null = null;
  let durationSec: number | null = null;
  if (schemaProblems.length === 0) {
    const withShard = {
      ...flags,
      model: flags.model ?? ["model-from-server"],
      shardCount: k.shards,
      shardIndex: 0,
      startAt: undefined,
      artifactDir: undefined,
    };
    const { config, problems: more } = resolveProfileConfig(withShard, { given, stderrIsTTY: false, cores: cores(k.cpu) });
    problems.push(...more.filter((p) => !p.startsWith("--artifact-dir")).map((p) => `after --: ${p}`));
    streams = processConcurrency(config);
    if (!given.has("workers")) workersArg = ["--workers", String(defaultWorkers(streams ?? 1, cores(k.cpu)))];
    if (config.benchmarkDuration !== undefined) durationSec = config.benchmarkDuration + config.benchmarkGracePeriod + (config.warmupDuration ?? 0);
  }
  const memory = k.memory ?? shardMemory(streams);
  if (k.memory === undefined)
    notes.push(
      `each shard requests ${memory} (${streams === null ? "no stream count known" : `${streams} streams`}; see bench/capacity.md), --memory to change it`,
    );
  // A run bounded by time: its end plus 10 minutes; otherwise 6 hours, unless told.
  const waitSec = k.mergeWait ?? (durationSec !== null ? Math.ceil(durationSec) + 600 : 6 * 3600);
  if (problems.length > 0 || binary === null) return { plan: null, problems, notes };
  return {
    plan: {
      name: k.name,
      namespace: k.namespace ?? null,
      shards: k.shards,
      startAt: formatRfc3339(startAtNs),
      profileArgs: [...profile.args, ...workersArg],
      binary,
      pvc: k.pvc,
      cpu: k.cpu,
      memory,
      mergeCpu: k.mergeCpu,
      mergeMemory: k.mergeMemory,
      apiKeySecret,
      mergeDeadlineSec: Math.ceil(startAtNs / 1e9) + waitSec,
      waitImage: k.waitImage,
    },
    problems,
    notes,
  };
}
