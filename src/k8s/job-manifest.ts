// Kubernetes manifests for a sharded run (`llmbench k8s job`): an Indexed Job whose N pods are the N
// shards (each learns its index from JOB_COMPLETION_INDEX, all start at one --start-at), writing to a
// PersistentVolumeClaim, and a merge Job that waits for them and merges their run directories.
// Kubernetes' own machinery does the coordination; llmbench needs no coordinator. Pure: objects in,
// objects out; typed with the Kubernetes API's own types, so a misspelt field does not compile.
import type { IIoK8sApiCoreV1Container as Container } from "kubernetes-models/v1/Container";
import type { IIoK8sApiCoreV1EnvVar as EnvVar } from "kubernetes-models/v1/EnvVar";
import type { IIoK8sApiCoreV1Volume as Volume } from "kubernetes-models/v1/Volume";
import type { IIoK8sApiCoreV1VolumeMount as VolumeMount } from "kubernetes-models/v1/VolumeMount";
import type { IJob } from "kubernetes-models/batch/v1/Job";

/** Where the results volume is mounted in every pod. */
export const RESULTS_MOUNT = "/results";
const CACHE_MOUNT = "/cache";
const BIN_MOUNT = "/opt/llmbench";
const DOWNLOADED_BINARY = `${BIN_MOUNT}/llmbench`;

export type BinarySource =
  /** An image that holds the binary at `path`. */
  | { kind: "image"; image: string; path: string }
  /** Any glibc image (`image`); an init container (`fetchImage`, with curl) downloads the binary first. */
  | { kind: "download"; url: string; sha256: string | null; image: string; fetchImage: string };

export interface JobPlan {
  name: string;
  namespace: string | null;
  shards: number;
  /** RFC 3339: every shard starts its load then. */
  startAt: string;
  /** `llmbench profile` flags as given (validated); the shard, start and artifact flags are added here. */
  profileArgs: string[];
  binary: BinarySource;
  pvc: string;
  cpu: string;
  memory: string;
  mergeCpu: string;
  mergeMemory: string;
  /** --api-key from a Secret (never written into the manifest). */
  apiKeySecret: { name: string; key: string } | null;
  /** The merge waits for every shard's summary file until this epoch second, then merges what is there. */
  mergeDeadlineSec: number;
  /** An image with a POSIX shell, ls and date (the wait loop). */
  waitImage: string;
}

const INDEX_ENV = "JOB_COMPLETION_INDEX";
const API_KEY_ENV = "LLMBENCH_API_KEY";

/** The run's directory on the volume; shard i writes shard-i under it, the merge writes merged. */
export function runDir(p: Pick<JobPlan, "name">): string {
  return `${RESULTS_MOUNT}/${p.name}`;
}

/** Kubernetes expands $(VAR) in args: a user's literal "$(" must stay literal. */
const literal = (arg: string): string => arg.replaceAll("$(", () => "$$(");

const labels = (p: JobPlan, role: string): Record<string, string> => ({
  "app.kubernetes.io/name": "llmbench",
  "app.kubernetes.io/component": role,
  "llmbench/run": p.name,
});

function volumes(p: JobPlan): Volume[] {
  const v: Volume[] = [
    { name: "results", persistentVolumeClaim: { claimName: p.pvc } },
    // DuckDB's native library is unpacked here on first use (the image's file system may be read-only).
    { name: "cache", emptyDir: {} },
  ];
  if (p.binary.kind === "download") v.push({ name: "bin", emptyDir: {} });
  return v;
}

function mounts(p: JobPlan): VolumeMount[] {
  const m: VolumeMount[] = [
    { name: "results", mountPath: RESULTS_MOUNT },
    { name: "cache", mountPath: CACHE_MOUNT },
  ];
  if (p.binary.kind === "download") m.push({ name: "bin", mountPath: BIN_MOUNT, readOnly: true });
  return m;
}

/** The binary's download (checked against its sha256 when given), before the main container runs. */
function downloadContainer(p: JobPlan): Container[] {
  const b = p.binary;
  if (b.kind !== "download") return [];
  const check = b.sha256 === null ? "" : ` && echo "${b.sha256}  ${DOWNLOADED_BINARY}" | sha256sum -c -`;
  return [
    {
      name: "download-llmbench",
      image: b.fetchImage,
      command: ["sh", "-c", `curl -fsSL -o ${DOWNLOADED_BINARY} "$LLMBENCH_URL"${check} && chmod +x ${DOWNLOADED_BINARY}`],
      env: [{ name: "LLMBENCH_URL", value: b.url }],
      volumeMounts: [{ name: "bin", mountPath: BIN_MOUNT }],
    },
  ];
}

function binaryPath(p: JobPlan): string {
  return p.binary.kind === "image" ? p.binary.path : DOWNLOADED_BINARY;
}

function commonEnv(p: JobPlan): EnvVar[] {
  const env: EnvVar[] = [{ name: "XDG_CACHE_HOME", value: CACHE_MOUNT }];
  if (p.apiKeySecret !== null) env.push({ name: API_KEY_ENV, valueFrom: { secretKeyRef: { name: p.apiKeySecret.name, key: p.apiKeySecret.key } } });
  return env;
}

/** The Indexed Job: pod i runs `llmbench profile ... --shard-index i` (from its completion index). */
export function shardJob(p: JobPlan): IJob {
  const args = [
    "profile",
    ...p.profileArgs.map(literal),
    "--start-at",
    p.startAt,
    "--artifact-dir",
    `${runDir(p)}/shard-$(${INDEX_ENV})`,
    "--ui",
    "none",
    ...(p.apiKeySecret === null ? [] : ["--api-key", `$(${API_KEY_ENV})`]),
  ];
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: p.name, ...(p.namespace === null ? {} : { namespace: p.namespace }), labels: labels(p, "shard") },
    spec: {
      completionMode: "Indexed",
      completions: p.shards,
      parallelism: p.shards,
      // A failed shard is not run again (a rerun would start late and send its share twice); the
      // others go on (per index), and the merge reports the loss.
      backoffLimitPerIndex: 0,
      template: {
        metadata: { labels: labels(p, "shard") },
        spec: {
          restartPolicy: "Never",
          // One shard per node where there are enough nodes: shards compete for nothing but the server.
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: "kubernetes.io/hostname",
              whenUnsatisfiable: "ScheduleAnyway",
              labelSelector: { matchLabels: labels(p, "shard") },
            },
          ],
          ...(p.binary.kind === "download" ? { initContainers: downloadContainer(p) } : {}),
          containers: [
            {
              name: "llmbench",
              image: p.binary.image,
              command: [binaryPath(p)],
              args,
              env: [
                // Set by the Job controller too; declared so $(JOB_COMPLETION_INDEX) above is expanded.
                { name: INDEX_ENV, valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
                { name: "LLMBENCH_SHARD_COUNT", value: String(p.shards) },
                ...commonEnv(p),
              ],
              // No CPU limit: CFS throttling would stall the threads that stamp arrivals.
              resources: { requests: { cpu: p.cpu, memory: p.memory }, limits: { memory: p.memory } },
              volumeMounts: mounts(p),
            },
          ],
          volumes: volumes(p),
        },
      },
    },
  };
}

/** The merge Job: waits until every shard wrote its summary (or the deadline), then merges them. */
export function mergeJob(p: JobPlan): IJob {
  const dir = runDir(p);
  const wait = [
    `deadline=${p.mergeDeadlineSec}`,
    "n=0",
    `while [ "$(date +%s)" -lt "$deadline" ]; do`,
    `  n=$(ls ${dir}/shard-*/profile_export_aiperf.json 2>/dev/null | wc -l)`,
    `  [ "$n" -ge ${p.shards} ] && exit 0`,
    "  sleep 10",
    "done",
    `echo "deadline passed with $n of ${p.shards} shards finished; merging what is there"`,
  ].join("\n");
  const name = `${p.name}-merge`;
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, ...(p.namespace === null ? {} : { namespace: p.namespace }), labels: labels(p, "merge") },
    spec: {
      completions: 1,
      parallelism: 1,
      backoffLimit: 0,
      template: {
        metadata: { labels: labels(p, "merge") },
        spec: {
          restartPolicy: "Never",
          initContainers: [
            ...downloadContainer(p),
            {
              name: "wait-for-shards",
              image: p.waitImage,
              command: ["sh", "-c", wait],
              volumeMounts: [{ name: "results", mountPath: RESULTS_MOUNT, readOnly: true }],
            },
          ],
          containers: [
            {
              name: "merge",
              image: p.binary.image,
              command: [binaryPath(p)],
              args: ["merge", `${dir}/merged`, "--shards-in", dir, "--overwrite"],
              env: commonEnv(p).filter((e) => e.name !== API_KEY_ENV),
              resources: { requests: { cpu: p.mergeCpu, memory: p.mergeMemory }, limits: { memory: p.mergeMemory } },
              volumeMounts: mounts(p),
            },
          ],
          volumes: volumes(p),
        },
      },
    },
  };
}
