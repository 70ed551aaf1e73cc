// `llmbench k8s job [flags] -- <profile flags>`: prints the manifests of a sharded run on Kubernetes
// (the shards' Indexed Job, then the merge Job) as YAML for `kubectl apply -f -`. Prints only: it
// talks to no cluster.
import { ark, lazy } from "../config/ark.ts";
import { nonNegativeInt, positiveInt } from "../config/common-types.ts";
import { type FlagSpec, flagsSchema } from "../config/flag-spec.ts";
import { PROFILE_FLAGS } from "../config/profile-flags.ts";
import { UsageError } from "../runtime/usage-error.ts";
import type { Command } from "./command.ts";
import { parseFlags } from "./parse-flags.ts";
import { aiperfForeignFlag } from "../config/aiperf-flags.ts";

const nonEmpty = lazy(() => ark().type("string > 0"));

const flags = {
  what: {
    type: "positional",
    description: "What to print: job (the shards' Indexed Job and the merge Job)",
    valueHint: "job",
    required: true,
    schema: lazy(() => ark().type.enumerated("job")),
  },
  "profile-args": { type: "positional", repeatable: true, description: "After --: the `llmbench profile` flags of the run", valueHint: "profile flags" },
  shards: {
    type: "string",
    description: "Pods (shards) sharing the load; the Job's completions and parallelism",
    required: true,
    valueHint: "n",
    schema: positiveInt,
  },
  pvc: {
    type: "string",
    description: "PersistentVolumeClaim for the results (ReadWriteMany when pods land on several nodes)",
    required: true,
    valueHint: "claim",
    schema: nonEmpty,
  },
  name: { type: "string", description: "Job name; results go to <pvc>/<name>/shard-<i> and <name>/merged", default: "llmbench", valueHint: "name" },
  namespace: { type: "string", description: "Namespace of the Jobs", valueHint: "ns", schema: nonEmpty },
  image: {
    type: "string",
    description: "Image holding llmbench at --binary-path; with --binary-url, the image it runs in",
    defaultNote: "debian:bookworm-slim with --binary-url",
    valueHint: "image",
    schema: nonEmpty,
  },
  "binary-path": { type: "string", description: "Where --image holds the binary", default: "/usr/local/bin/llmbench", valueHint: "path" },
  "binary-url": {
    type: "string",
    description: "Download the binary (for the pods' platform) in an init container instead",
    valueHint: "url",
    schema: nonEmpty,
  },
  "binary-sha256": { type: "string", description: "Checksum the download must have", valueHint: "hex", schema: nonEmpty },
  "fetch-image": {
    type: "string",
    description: "Image of the download init container (needs curl, sha256sum)",
    default: "curlimages/curl:8.11.1",
    valueHint: "image",
  },
  "wait-image": { type: "string", description: "Image of the merge's wait for the shards (needs sh, ls, date)", default: "busybox:1.37", valueHint: "image" },
  "start-at": {
    type: "string",
    description: "When every shard starts its load (RFC 3339)",
    defaultNote: "--start-in from now",
    valueHint: "time",
    schema: nonEmpty,
  },
  "start-in": {
    type: "string",
    description: "Seconds from now to the start, time to schedule pods and pull images",
    default: "120",
    valueHint: "s",
    schema: positiveInt,
  },
  cpu: { type: "string", description: "CPU each shard requests (no limit: throttling would skew timing)", default: "2", valueHint: "cores" },
  memory: {
    type: "string",
    description: "Memory each shard requests and is limited to",
    defaultNote: "from its streams, bench/capacity.md",
    valueHint: "quantity",
  },
  "merge-cpu": { type: "string", description: "CPU of the merge pod", default: "1", valueHint: "cores" },
  "merge-memory": { type: "string", description: "Memory of the merge pod", default: "4Gi", valueHint: "quantity" },
  "api-key-secret": { type: "string", description: "Send --api-key from this Secret's key", valueHint: "NAME/KEY", schema: nonEmpty },
  "merge-wait": {
    type: "string",
    description: "Seconds after the start the merge waits for every shard before merging what is there",
    defaultNote: "duration + grace + 600 with --benchmark-duration, else 21600",
    valueHint: "s",
    schema: nonNegativeInt,
  },
} as const satisfies Record<string, FlagSpec>;

const schema = lazy(() => flagsSchema(flags));

export const k8sCommand: Command = {
  name: "k8s",
  description: "Print Kubernetes manifests for a sharded run: an Indexed Job of shards and a merge Job",
  flags,
  examples: [
    "llmbench k8s job --shards 8 --pvc bench-results --image ghcr.io/acme/llmbench:0.1 -- -u http://vllm:8000 -m Qwen/Qwen3-8B --streaming --request-rate 400 --benchmark-duration 300 | kubectl apply -f -",
    "llmbench k8s job --name c4k --shards 4 --pvc results --binary-url https://example.com/llmbench-linux-x64 -- -u http://vllm:8000 -m my-model --streaming --concurrency 4000 --benchmark-duration 600",
  ],
  async run({ validate, io }) {
    const k = validate(schema());
    const profileArgs = k.profileArgs ?? [];
    const parsed = parseFlags(profileArgs, PROFILE_FLAGS, aiperfForeignFlag);
    const { jobPlan } = await import("../k8s/job-plan.ts");
    const { plan, problems, notes } = jobPlan(
      { ...k, startIn: k.startIn },
      { args: profileArgs, values: parsed.values, problems: parsed.problems },
      Date.now(),
    );
    if (plan === null) throw new UsageError(problems);
    const { mergeJob, runDir, shardJob } = await import("../k8s/job-manifest.ts");
    const docs = [shardJob(plan), mergeJob(plan)].map((d) => Bun.YAML.stringify(d, null, 2).trimEnd());
    const head = [
      `# llmbench ${plan.shards}-shard run "${plan.name}", starting ${plan.startAt}: kubectl apply -f <this file>`,
      `# Results: PVC ${plan.pvc}, ${runDir(plan).replace(/^\/results\//, "")}/shard-<i> per shard and ${plan.name}/merged once the ${plan.name}-merge Job is done.`,
    ];
    io.out(`${head.join("\n")}\n${docs.map((d) => `---\n${d}\n`).join("")}`);
    for (const n of notes) io.err(`llmbench k8s: ${n}\n`);
    return 0;
  },
};
