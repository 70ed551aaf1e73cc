// Several --model names in one run against the mock: each request names the model its turn was given
// (round_robin: alternating in dataset order; random: seeded), the record's `model` is the one sent,
// and the pre-flight checks every model.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/commands.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { assignModels } from "../../src/dataset/model-selection.ts";
import type { SessionSpec } from "../../src/dataset/plan-types.ts";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { runRecords, runTestProfile, testProfileConfig } from "../helpers/profile-config.ts";

let dir = "";
let mock: MockServerHandle;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-models-"));
  mock = await startMockServer({ port: 0, ttftMs: 2, itlMs: 1, models: ["llama-a", "llama-b"], recordPath: join(dir, "mock.jsonl") });
});
afterAll(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("--model a,b", () => {
  test("round_robin: requests alternate in dataset order; pre-flight and the start line name both", async () => {
    const io = fakeIo(dir);
    const args = ["profile", "-m", "llama-a,llama-b", "-u", mock.url, "--streaming", "--tokenizer", "builtin", "--concurrency", "1"];
    const rest = ["--request-count", "8", "--num-dataset-entries", "4", "--osl", "4", "--artifact-dir", "rr", "--ui", "none"];
    expect(await runCli([...args, ...rest], COMMANDS, io)).toBe(0);
    expect(io.stderr.join("")).toContain("models llama-a, llama-b (round_robin)");
    const rs = (await runRecords(join(dir, "rr", "results.duckdb"))).filter((r) => r.phase === "profiling").sort((a, b) => a.request_index - b.request_index);
    expect(rs.map((r) => r.model)).toEqual(["llama-a", "llama-b", "llama-a", "llama-b", "llama-a", "llama-b", "llama-a", "llama-b"]);
    expect(rs.map((r) => r.error)).toEqual(Array.from({ length: 8 }, () => null));
    // The server saw the same names: two pre-flight requests (one per model) and the run's eight.
    await Bun.sleep(300); // the mock flushes its record file every 100 ms
    const sent = readFileSync(join(dir, "mock.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { model: string | null }).model);
    expect(sent.filter((m) => m === "llama-a").length).toBe(5);
    expect(sent.filter((m) => m === "llama-b").length).toBe(5);

    // The flag repeated is the same list.
    const io2 = fakeIo(dir);
    expect(await runCli(["profile", "-m", "llama-a", "--model", "llama-b", ...args.slice(3), ...rest.slice(0, -3), "rr2", "--ui", "none"], COMMANDS, io2)).toBe(
      0,
    );
    const rs2 = (await runRecords(join(dir, "rr2", "results.duckdb"))).filter((r) => r.phase === "profiling").sort((a, b) => a.request_index - b.request_index);
    expect(rs2.map((r) => r.model)).toEqual(rs.map((r) => r.model));
  }, 60_000);

  test("random: each request's model is its turn's seeded pick", async () => {
    const cfg = testProfileConfig(mock.url, {
      model: ["llama-a", "llama-b"],
      modelSelectionStrategy: "random",
      concurrency: 1,
      requestCount: 12,
      numDatasetEntries: 6,
      randomSeed: 5,
      osl: 4,
      artifactDir: "random",
    });
    const out = await runTestProfile(cfg, fakeIo(dir), { slos: [] });
    const rs = out.records.filter((r) => r.phase === "profiling").sort((a, b) => a.request_index - b.request_index);
    // Six single-turn sessions, sent in order twice over: the picks are those of six turns from seed 5.
    const shape: SessionSpec[] = Array.from({ length: 6 }, (_, i) => ({
      sessionId: String(i),
      turns: [{ prompt: { kind: "text", text: "", tokens: 0 }, maxTokens: null, timestampMs: null, delayMs: 0 }],
    }));
    assignModels(shape, ["llama-a", "llama-b"], "random", 5);
    const picks = shape.map((s) => s.turns[0]!.model ?? "none");
    expect(rs.map((r) => r.model)).toEqual([...picks, ...picks]);
    expect(new Set(picks).size).toBe(2);
  }, 60_000);
});
