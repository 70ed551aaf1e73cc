// `profile --auto-plot` against the mock writes the run's report; `plot` refuses bad arguments with one
// line each (exit 2), and a sweep parent with repeats gets error bars.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/commands.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { type MockServerHandle, startMockServer } from "../../src/mock/server.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { decodePng, pixelStats } from "../helpers/png-decode.ts";
import { writeSyntheticRun } from "../helpers/synthetic-results.ts";
import { mockProfileArgs } from "../helpers/mock-profile-args.ts";

let dir = "";
let mock: MockServerHandle;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-plot-cli-"));
  mock = await startMockServer({ port: 0, ttftMs: 2, itlMs: 1 });
});
afterAll(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const profile = (args: string[]): string[] => mockProfileArgs(mock.url, ["--isl", "8", "--osl", "6", ...args]);

describe("profile --auto-plot", () => {
  test("a run against the mock leaves report.html and decodable PNGs beside results.duckdb", async () => {
    const io = fakeIo(dir);
    const code = await runCli(
      profile(["--concurrency", "4", "--request-count", "40", "--goodput", "time_to_first_token:50", "--auto-plot", "--artifact-dir", "auto"]),
      COMMANDS,
      io,
    );
    expect(io.stderr.join("")).not.toContain("--auto-plot:");
    expect(code).toBe(0);
    const html = readFileSync(join(dir, "auto", "report.html"), "utf8");
    expect(html).toContain('data-chart="ttft-histogram"');
    expect(html).toContain("goodput");
    const pngs = readdirSync(join(dir, "auto", "plots")).sort();
    expect(pngs).toContain("ttft-cdf.png");
    expect(pngs).toContain("latency-scatter.png");
    const png = decodePng(new Uint8Array(readFileSync(join(dir, "auto", "plots", "ttft-cdf.png"))));
    expect([png.width, png.height]).toEqual([1440, 720]);
    expect(pixelStats(png).inkShare).toBeGreaterThan(0.02);
  }, 60_000);

  test("a sweep with repeats and --gpus: each run's report, then the sweep's (Pareto per GPU, intervals)", async () => {
    const io = fakeIo(dir);
    const code = await runCli(
      profile(["--concurrency", "2,4", "--num-profile-runs", "2", "--gpus", "2", "--request-count", "8", "--auto-plot", "--artifact-dir", "sweep"]),
      COMMANDS,
      io,
    );
    expect(io.stderr.join("")).not.toContain("--auto-plot:");
    expect(code).toBe(0);
    const html = readFileSync(join(dir, "sweep", "report.html"), "utf8");
    expect(html).toContain("sweep of 2 points, 4 runs");
    expect(html).toContain("output tokens/s per GPU");
    expect(html).toContain("95% confidence interval");
    expect(readdirSync(join(dir, "sweep", "plots"))).toContain("pareto.png");
    expect(existsSync(join(dir, "sweep", "concurrency_0004", "run_02", "report.html"))).toBe(true);
  }, 120_000);

  test("without the flag, no report", async () => {
    expect(await runCli(profile(["--request-count", "4", "--artifact-dir", "plain"]), COMMANDS, fakeIo(dir))).toBe(0);
    expect(existsSync(join(dir, "plain", "results.duckdb"))).toBe(true);
    expect(existsSync(join(dir, "plain", "report.html"))).toBe(false);
  }, 60_000);
});

describe("plot arguments", () => {
  const plot = async (args: string[]) => {
    const io = fakeIo(dir);
    const code = await runCli(["plot", ...args], COMMANDS, io);
    return { code, lines: io.stderr.join("").trim().split("\n") };
  };

  test.each([
    [[], "<DIR> is required"],
    [["nowhere"], "nowhere: no such directory or file"],
    [["empty"], "empty: holds no results.duckdb"],
  ])("plot %j: one line, exit 2", async (args, message) => {
    mkdirSync(join(dir, "empty"), { recursive: true });
    const r = await plot(args);
    expect(r.code).toBe(2);
    expect(r.lines.filter((l) => l.includes(message)).length).toBe(1);
    expect(r.lines.join("\n")).not.toContain("    at ");
  });

  test("a file that is not a results database: one line, exit 1", async () => {
    mkdirSync(join(dir, "junk"), { recursive: true });
    await Bun.write(join(dir, "junk", "results.duckdb"), "not a database");
    const r = await plot(["junk", "--no-png"]);
    expect(r.code).toBe(1);
    expect(r.lines.length).toBe(1);
    expect(r.lines[0]).toContain("plot:");
  });

  test("a sweep whose points were repeated: mean with confidence-interval bars", async () => {
    for (const c of [2, 8])
      for (const rep of [1, 2, 3])
        await writeSyntheticRun(join(dir, "rep", `concurrency_${String(c).padStart(4, "0")}`, `run_0${rep}`), {
          requests: 200,
          concurrency: c,
          seed: c * 10 + rep,
        });
    const r = await plot(["rep", "--no-png"]);
    expect(r.code).toBe(0);
    expect(r.lines[0]).toContain("report.html");
    const html = readFileSync(join(dir, "rep", "report.html"), "utf8");
    expect(html).toContain("sweep of 2 points, 6 runs");
    expect(html).toContain("95% confidence interval");
    expect(html).toContain("(3 runs, 95% CI");
    expect(existsSync(join(dir, "rep", "plots"))).toBe(false);
  }, 60_000);
});
