// `llmbench k8s job` prints manifests that Kubernetes' own schema accepts (kubernetes-models validates
// against the Kubernetes OpenAPI definitions; the builder is typed with the same API types, so an
// unknown field does not compile), with the shard, start and results wiring a sharded run needs.
import { describe, expect, test } from "bun:test";
import { Job } from "kubernetes-models/batch/v1/Job";
import { COMMANDS } from "../../../src/cli/commands.ts";
import { runCli } from "../../../src/cli/run-cli.ts";
import { shardMemory } from "../../../src/k8s/job-plan.ts";
import { fakeIo } from "../../helpers/fake-io.ts";

const PROFILE = ["-u", "http://vllm:8000", "-m", "Qwen/Qwen3-8B", "--streaming", "--concurrency", "4000", "--benchmark-duration", "300"];

async function k8sJob(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo("/tmp");
  const code = await runCli(["k8s", "job", ...args], COMMANDS, io);
  return { code, out: io.stdout.join(""), err: io.stderr.join("") };
}

interface Doc {
  metadata: { name: string };
  spec: {
    completionMode?: string;
    completions: number;
    parallelism: number;
    backoffLimitPerIndex?: number;
    template: {
      spec: {
        initContainers?: { name: string; image: string; command: string[] }[];
        containers: {
          image: string;
          command: string[];
          args: string[];
          env: { name: string; value?: string; valueFrom?: unknown }[];
          resources: unknown;
          volumeMounts: { name: string; mountPath: string }[];
        }[];
        volumes: { name: string; persistentVolumeClaim?: { claimName: string } }[];
      };
    };
  };
}

function docs(yaml: string): Doc[] {
  const parts = yaml.split(/^---$/m).slice(1);
  return parts.map((p) => Bun.YAML.parse(p) as Doc);
}

const START = "2026-12-01T10:00:00Z";

describe("llmbench k8s job", () => {
  test.each([
    ["the binary in an image", ["--image", "ghcr.io/acme/llmbench:0.1"]],
    ["the binary downloaded by an init container, checked", ["--binary-url", "https://example.com/llmbench-linux-x64", "--binary-sha256", "ab".repeat(32)]],
  ])("%s: two Jobs that validate against the Kubernetes schema", async (_, binary) => {
    const r = await k8sJob([
      "--shards",
      "4",
      "--pvc",
      "bench-results",
      "--start-at",
      START,
      "--namespace",
      "bench",
      "--api-key-secret",
      "vllm/token",
      ...binary,
      "--",
      ...PROFILE,
    ]);
    expect(r.err).toContain("each shard requests 768Mi (1000 streams");
    expect(r.code).toBe(0);
    const [shards, merge] = docs(r.out);
    expect([shards, merge].map((d) => d?.metadata.name)).toEqual(["llmbench", "llmbench-merge"]);
    for (const d of [shards!, merge!]) expect(() => new Job(d as never).validate()).not.toThrow();

    // The Indexed Job: N pods at once, each told its index and the count, all with one start.
    expect(shards!.spec.completionMode).toBe("Indexed");
    expect([shards!.spec.completions, shards!.spec.parallelism, shards!.spec.backoffLimitPerIndex]).toEqual([4, 4, 0]);
    const c = shards!.spec.template.spec.containers[0]!;
    expect(c.args.slice(0, PROFILE.length + 1)).toEqual(["profile", ...PROFILE]);
    expect(c.args.slice(PROFILE.length + 1)).toEqual([
      "--workers",
      "1",
      "--start-at",
      "2026-12-01T10:00:00.000Z",
      "--artifact-dir",
      "/results/llmbench/shard-$(JOB_COMPLETION_INDEX)",
      "--ui",
      "none",
      "--api-key",
      "$(LLMBENCH_API_KEY)",
    ]);
    expect(c.env.map((e) => e.name)).toEqual(["JOB_COMPLETION_INDEX", "LLMBENCH_SHARD_COUNT", "XDG_CACHE_HOME", "LLMBENCH_API_KEY"]);
    expect(c.env[1]!.value).toBe("4");
    expect(c.resources).toEqual({ requests: { cpu: "2", memory: "768Mi" }, limits: { memory: "768Mi" } });
    expect(shards!.spec.template.spec.volumes[0]).toEqual({ name: "results", persistentVolumeClaim: { claimName: "bench-results" } });

    // The merge: waits for the shards' summaries until the run's end plus 10 minutes, then merges.
    const m = merge!.spec.template.spec;
    const wait = m.initContainers!.at(-1)!;
    expect(wait.name).toBe("wait-for-shards");
    expect(wait.command[2]).toContain(`deadline=${Date.parse(START) / 1000 + 300 + 30 + 600}`);
    expect(m.containers[0]!.args).toEqual(["merge", "/results/llmbench/merged", "--shards-in", "/results/llmbench", "--overwrite"]);
    expect(m.containers[0]!.env.map((e) => e.name)).toEqual(["XDG_CACHE_HOME"]);
  });

  test("a user's literal $( stays literal (Kubernetes would expand it)", async () => {
    const r = await k8sJob(["--shards", "2", "--pvc", "p", "--start-at", START, "--image", "i", "--", ...PROFILE, "--extra-inputs", "note:$(HOME)"]);
    expect(r.code).toBe(0);
    expect(docs(r.out)[0]!.spec.template.spec.containers[0]!.args).toContain("note:$$(HOME)");
  });

  test("without --start-at, the start is --start-in from now, in whole seconds", async () => {
    const before = Date.now();
    const r = await k8sJob(["--shards", "2", "--pvc", "p", "--start-in", "90", "--image", "i", "--", ...PROFILE]);
    const args = docs(r.out)[0]!.spec.template.spec.containers[0]!.args;
    const at = Date.parse(args[args.indexOf("--start-at") + 1]!);
    expect(at % 1000).toBe(0);
    expect(at).toBeGreaterThanOrEqual(before + 90_000);
    expect(at).toBeLessThanOrEqual(Date.now() + 91_000);
    expect(r.err).toContain("(--start-in 90 s from now): apply the manifest before then");
  });

  test.each([
    [
      ["--shards", "4", "--pvc", "p", "--start-at", START, "--", ...PROFILE],
      "the pods need the binary: --image (an image holding llmbench at --binary-path) or --binary-url (downloaded by an init container)",
    ],
    [
      ["--shards", "4", "--pvc", "p", "--image", "i", "--", ...PROFILE, "--artifact-dir", "x"],
      "after --: --artifact-dir (each shard writes <pvc>/<name>/shard-<index>) is set by the manifest",
    ],
    [
      ["--shards", "4", "--pvc", "p", "--image", "i", "--", ...PROFILE, "--api-key", "sk-1"],
      "after --: --api-key (a manifest is no place for a key: --api-key-secret NAME/KEY) is set by the manifest",
    ],
    [
      ["--shards", "4", "--pvc", "p", "--image", "i", "--", ...PROFILE, "--concurrncy", "3"],
      "after --: unknown flag --concurrncy (did you mean --concurrency?)",
    ],
    [
      ["--shards", "8", "--pvc", "p", "--image", "i", "--", "-m", "m", "--concurrency", "4"],
      "after --: --concurrency 4 is less than --shard-count 8: every shard needs at least one (shards split it as evenly as they can)",
    ],
    [
      ["--shards", "2", "--pvc", "p", "--image", "i", "--name", "Bench_1", "--", ...PROFILE],
      "--name Bench_1: lower-case letters, digits and '-', at most 50 (a Kubernetes name)",
    ],
    [["--shards", "2", "--pvc", "p", "--image", "i", "--memory", "lots", "--", ...PROFILE], "--memory lots: a Kubernetes quantity, e.g. 2, 500m, 4Gi"],
  ])("refused before anything is printed: %p", async (args, line) => {
    const r = await k8sJob(args);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err.split("\n")[0]).toBe(`llmbench k8s: ${line}`);
  });

  test.each([
    [null, "2Gi"],
    [1, "768Mi"],
    [5000, "1280Mi"],
    [20000, "2304Mi"],
  ])("shard memory for %p streams: %s", (streams, want) => {
    expect(shardMemory(streams)).toBe(want);
  });
});
