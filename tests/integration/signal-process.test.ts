// A real llmbench process: SIGTERM (and SIGINT) mid-run stop sending, cancel in-flight requests,
// write complete artifacts and exit within 2 s.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { queryReadOnly } from "../../src/store/read-db.ts";
import { waitForMetric } from "../helpers/mock-metrics.ts";

const MAIN = resolve(import.meta.dir, "../../src/main.ts");
let dir = "";
let mock: MockServerHandle;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-sig-"));
  mock = await startMockServer({ port: 0, ttftMs: 5, itlMs: 20 });
});
afterAll(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`${signal}: cancelled, recorded, complete artifacts, exit within 2 s`, async () => {
    const out = join(dir, signal);
    const proc = Bun.spawn(
      [
        process.execPath,
        MAIN,
        "profile",
        "-u",
        mock.url,
        "-m",
        "mock-model",
        "--tokenizer",
        "builtin",
        "--streaming",
        "--concurrency",
        "4",
        "--request-count",
        "1000",
        "--isl",
        "8",
        "--osl",
        "100",
        "--artifact-dir",
        out,
        "--ui",
        "none",
      ],
      { stdout: "pipe", stderr: "pipe" },
    );
    await waitForMetric(mock.url, "vllm:num_requests_running", 4, 20_000);
    await Bun.sleep(200);
    const t0 = performance.now();
    proc.kill(signal);
    const code = await proc.exited;
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(code).toBe(1);
    const stdout = await new Response(proc.stdout).text();
    expect(stdout).toContain("cancelled early");
    for (const f of ["results.duckdb", "profile_export.jsonl", "profile_export_aiperf.json", "profile_export_aiperf.csv", "inputs.json"]) {
      expect(existsSync(join(out, f))).toBe(true);
    }
    const json = JSON.parse(readFileSync(join(out, "profile_export_aiperf.json"), "utf8")) as { was_cancelled: boolean };
    expect(json.was_cancelled).toBe(true);
    const rs = await queryReadOnly(join(out, "results.duckdb"), "select count(*), count(*) filter (where cancelled) from requests");
    const [n, cancelled] = rs.rows[0] as [number, number];
    expect(cancelled).toBe(4);
    expect(readFileSync(join(out, "profile_export.jsonl"), "utf8").trim().split("\n").length).toBe(n);
  }, 30_000);
}
