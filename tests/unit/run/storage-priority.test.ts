import { describe, expect, test } from "bun:test";
import { storagePriorityPlan, storagePriorityStage, storageThreadsNow, type StoragePriorityInputs } from "../../../src/run/storage-priority.ts";
import { threadIds, threadName } from "../../../src/runtime/thread-priority.ts";

const base: StoragePriorityInputs = { priority: "idle", ownsProcess: true, inSweep: false, feedsPrompts: false, platform: "linux" };

describe("storagePriorityPlan", () => {
  test.each([
    ["a single run in its own process on Linux", {}, null],
    ["--storage-priority normal", { priority: "normal" as const }, "--storage-priority normal"],
    ["not Linux", { platform: "darwin" as const }, "SCHED_IDLE is Linux only"],
    ["a test runner's process", { ownsProcess: false }, "the process is not the run's alone"],
    ["a sweep or search point", { inSweep: true }, "a sweep or search starts more workers from this thread"],
    [
      "a trace whose prompts this thread feeds during the load",
      { feedsPrompts: true },
      "this thread feeds the trace's prompts to the workers while the load runs",
    ],
  ])("%s", (_name, change, why) => {
    const plan = storagePriorityPlan({ ...base, ...change });
    expect(plan).toEqual(why === null ? { lower: true } : { lower: false, why });
  });
});

describe("storagePriorityStage", () => {
  test("when it does not lower, its log line says why (lowering itself is checked on the binary, end to end)", () => {
    const say = storagePriorityStage({ ...base, ownsProcess: false, transport: "http1" });
    expect(say()).toBe("storage threads keep normal priority: the process is not the run's alone");
  });
});

describe.if(process.platform === "linux")("storageThreadsNow", () => {
  test("every thread under --transport http; under fetch all but the runtime's HTTP client thread", async () => {
    // A fetch starts the runtime's HTTP client thread.
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("ok") });
    try {
      expect(await (await fetch(`http://127.0.0.1:${server.port}/`)).text()).toBe("ok");
    } finally {
      server.stop(true);
    }
    const all = threadIds();
    const fetchThreads = all.filter((t) => threadName(t) === "HTTP Client");
    expect(fetchThreads.length).toBeGreaterThan(0);
    const forHttp = storageThreadsNow("http1");
    expect(forHttp).toEqual(expect.arrayContaining([...fetchThreads, process.pid]));
    const forFetch = storageThreadsNow("fetch");
    expect(forFetch).toContain(process.pid);
    expect(forFetch.filter((t) => fetchThreads.includes(t))).toEqual([]);
  });
});
