// A profile killed with SIGKILL mid-run leaves a results.duckdb that opens and holds every request
// that finished more than a second before the kill (records are flushed at least every 0.5 s).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { queryReadOnly } from "../../src/store/read-db.ts";
import { epochNs } from "../../src/runtime/clock.ts";
import { waitForMetric } from "../helpers/mock-metrics.ts";

const MAIN = resolve(import.meta.dir, "../../src/main.ts");
let dir = "";
let mock: MockServerHandle;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-kill-"));
  mock = await startMockServer({ port: 0, ttftMs: 10, itlMs: 5, recordPath: join(dir, "truth.jsonl") });
});
afterAll(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("SIGKILL keeps every request finished more than a second earlier", async () => {
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
      "100000",
      "--isl",
      "16",
      "--osl",
      "20",
      "--artifact-dir",
      join(dir, "run"),
      "--ui",
      "none",
      // The mock's truth file would hold the pre-flight request too, which is no result.
      "--no-preflight",
    ],
    { stdout: "ignore", stderr: "ignore" },
  );
  // Wait until requests have been finishing for a while (the mock's /metrics counts generated tokens).
  await waitForMetric(mock.url, "vllm:generation_tokens_total", 20 * 150, 20_000); // about 150 requests done
  const killNs = epochNs();
  proc.kill("SIGKILL");
  await proc.exited;
  await mock.stop(); // flush the truth file

  interface Truth {
    request_id: string;
    end_ns: number;
    status: number;
    client_disconnected: boolean;
  }
  const truth = readFileSync(join(dir, "truth.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Truth);
  const mustHave = truth.filter((t) => t.status === 200 && !t.client_disconnected && t.end_ns < killNs - 1e9).map((t) => t.request_id);
  expect(mustHave.length).toBeGreaterThan(50);

  const rs = await queryReadOnly(join(dir, "run", "results.duckdb"), "select x_request_id from requests");
  const stored = new Set(rs.rows.map((r) => String(r[0])));
  const missing = mustHave.filter((id) => !stored.has(id));
  expect(missing).toEqual([]);
  // The chunks of those requests are there too.
  const ch = await queryReadOnly(join(dir, "run", "results.duckdb"), "select distinct r.x_request_id from chunks c join requests r using (run_id, seq)");
  const withChunks = new Set(ch.rows.map((r) => String(r[0])));
  expect(mustHave.filter((id) => !withChunks.has(id))).toEqual([]);
}, 60_000);
