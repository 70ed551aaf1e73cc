// The compiled binary, alone in an empty directory: `profile --auto-plot` and `plot` write report.html
// and PNGs (the font and the chart code are embedded; nothing is read from node_modules or the system).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type LoneBinary, loneBinary } from "../helpers/binary.ts";
import { decodePng, pixelStats } from "../helpers/png-decode.ts";
import { readFirstLine } from "../helpers/read-lines.ts";

let bin: LoneBinary;
let dir = "";
let exe = "";
let env: Record<string, string> = {};
const run = (args: string[], timeoutMs?: number) => bin.run(args, timeoutMs);

beforeAll(async () => {
  bin = await loneBinary("llmbench-e2e-plot-", 60_000);
  ({ dir, exe, env } = bin);
}, 120_000);

afterAll(() => bin?.remove());

describe("compiled binary: plot", () => {
  test("plot --help lists the command's flags", () => {
    const h = run(["plot", "--help"]);
    expect(h.code).toBe(0);
    expect(h.out).toContain("--no-png");
    expect(run(["--help"]).out).toContain("plot");
  });

  test("profile --auto-plot, then plot of two runs compared", async () => {
    const mock = Bun.spawn([exe, "mock", "--port", "0", "--ttft-ms", "5", "--itl-ms", "1"], { cwd: dir, env, stdout: "pipe", stderr: "pipe" });
    try {
      const url = await readFirstLine(mock.stdout, 20_000);
      const base = ["profile", "-u", url, "-m", "mock-model", "--tokenizer", "builtin", "--streaming", "--request-count", "30", "--osl", "8", "--ui", "none"];
      for (const c of ["2", "8"]) {
        const p = run([...base, "--concurrency", c, "--artifact-dir", `c${c}`, "--auto-plot"]);
        expect(p.err).not.toContain("--auto-plot:");
        expect(p.code).toBe(0);
        expect(readdirSync(join(dir, `c${c}`))).toContain("report.html");
      }
    } finally {
      mock.kill("SIGINT");
      await mock.exited;
    }
    const cmp = run(["plot", "c2", "c8", "-o", "cmp"]);
    expect(cmp.code).toBe(0);
    expect(cmp.err).toMatch(/^wrote cmp\/report\.html \(9 charts\) and 9 PNG files in cmp\/plots in [\d.]+ s\n$/);
    const html = readFileSync(join(dir, "cmp", "report.html"), "utf8");
    expect(html).toContain('data-chart="pareto"');
    const png = decodePng(new Uint8Array(readFileSync(join(dir, "cmp", "plots", "pareto.png"))));
    expect([png.width, png.height]).toEqual([1440, 720]);
    expect(pixelStats(png).inkShare).toBeGreaterThan(0.02);
    const single = decodePng(new Uint8Array(readFileSync(join(dir, "c8", "plots", "ttft-histogram.png"))));
    expect(pixelStats(single).colors).toBeGreaterThan(20);
  }, 90_000);
});
