// The dashboard in a real terminal: the compiled binary runs `profile` inside a detached tmux session
// of 80x24 against the mock; the pane is read mid-run (the dashboard's labels and numbers, every row
// within 80 columns) and after the run (normal screen back, cursor shown, the summary printed).
// Needs tmux (Debian package `tmux`); without it the tests are skipped with a message.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockServerHandle, startMockServer } from "../../src/mock/server.ts";
import { ensureBinary } from "../helpers/binary.ts";

const HAS_TMUX = Bun.spawnSync(["sh", "-c", "command -v tmux"]).exitCode === 0;
if (!HAS_TMUX) console.warn("dashboard-tmux.test.ts skipped: tmux is not installed (apt-get install -y tmux; CI installs it in .ci/run)");

const REQUESTS = 200;

let dir = "";
let exe = "";
let mock: MockServerHandle | null = null;

/** Runs a tmux command without blocking this process's event loop (the mock runs on it). */
async function tmux(...args: string[]): Promise<string> {
  // A private server (its socket in the test's directory), so no user session is touched.
  const p = Bun.spawn(["tmux", "-S", join(dir, "tmux.sock"), "-f", "/dev/null", ...args], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`tmux ${args[0]} failed: ${err.trim()}`);
  return out;
}

/** The pane's rows (trailing blanks cut); -J joins a row that wrapped onto the next, so a too-wide row shows as one long line. */
async function pane(session: string, withHistory = false): Promise<string[]> {
  return (await tmux("capture-pane", "-p", "-J", "-t", session, ...(withHistory ? ["-S", "-"] : [])))
    .replace(/\n$/, "")
    .split("\n")
    .map((r) => r.trimEnd());
}

async function paneFlag(session: string, flag: string): Promise<string> {
  return (await tmux("display-message", "-p", "-t", session, `#{${flag}}`)).trim();
}

async function waitForPane(session: string, ok: (rows: string[]) => boolean, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let rows: string[] = [];
  while (Date.now() < deadline) {
    rows = await pane(session);
    if (ok(rows)) return rows;
    await Bun.sleep(100);
  }
  throw new Error(`the pane never showed what was awaited; last capture:\n${rows.join("\n")}`);
}

/** Starts `profile` in a new session of the given size; the shell then prints EXIT=<code> and waits. */
async function startProfile(session: string, columns: number, rows: number, args: string[]): Promise<void> {
  const profile = [
    exe,
    "profile",
    "-u",
    mock!.url,
    "-m",
    "mock-model",
    "--tokenizer",
    "builtin",
    "--streaming",
    "--workers",
    "1",
    "--isl",
    "16",
    "--osl",
    "20",
    ...args,
  ];
  const cmd = `${profile.map((a) => `'${a}'`).join(" ")}; echo "EXIT=$?"; sleep 60`;
  await tmux("new-session", "-d", "-s", session, "-x", String(columns), "-y", String(rows), "-e", "LANG=C.UTF-8", "-e", "NO_COLOR=", cmd);
}

const row = (rows: string[], start: string): string => rows.find((r) => r.startsWith(start)) ?? "";
const progressDone = (rows: string[]): number => Number(/(\d+)\/\d+ requests/.exec(rows.join("\n"))?.[1] ?? 0);

describe.skipIf(!HAS_TMUX)("dashboard in tmux", () => {
  beforeAll(async () => {
    exe = await ensureBinary();
    dir = mkdtempSync(join(tmpdir(), "llmbench-tmux-"));
    // About 8 requests in flight at ~120 ms each: 200 requests take about 3 s; 5% fail.
    mock = await startMockServer({ port: 0, ttftMs: 20, itlMs: 5, fault500Pct: 5, seed: 3 });
  }, 120_000);

  afterAll(async () => {
    if (dir) await tmux("kill-server").catch(() => "");
    await mock?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("80x24: the dashboard mid-run, then the normal screen with the summary", async () => {
    await startProfile("run", 80, 24, [
      "--concurrency",
      "8",
      "--request-count",
      String(REQUESTS),
      "--failed-request-threshold",
      "0.5",
      "--artifact-dir",
      join(dir, "run"),
    ]);
    // Once a whole second is done, the sparklines have a point.
    const mid = await waitForPane("run", (rows) => progressDone(rows) >= 20 && row(rows, "req/s").includes("max"), 15_000);
    expect(await paneFlag("run", "alternate_on")).toBe("1");
    expect(mid.length).toBe(24);
    expect(mid.map((r) => Bun.stringWidth(r)).filter((w) => w > 80)).toEqual([]);
    expect(mid[0]).toStartWith(`llmbench profile  mock-model  ${mock!.url}/v1/chat/completions`);
    expect(row(mid, "Profiling")).toMatch(/^Profiling +[█░]+ +\d+%$/);
    expect(row(mid, "           ")).toMatch(/^ +\d+\/200 requests {3}elapsed \d+ s {3}ETA (\d+ s|-)$/);
    const counts = /^Requests +(\d+) done {3}(\d+) in flight {3}(\d+) failed/.exec(row(mid, "Requests"));
    expect(counts).not.toBeNull();
    expect(Number(counts![1])).toBeGreaterThanOrEqual(20);
    expect(Number(counts![2])).toBeLessThanOrEqual(8);
    expect(row(mid, "Throughput")).toMatch(/^Throughput [\d.]+k? req\/s {3}[\d.]+k? output tok\/s {3}last 10 s$/);
    expect(row(mid, "Latency")).toMatch(/^Latency +p50 +p99 +last 10 s$/);
    for (const name of ["TTFT ", "ITL ", "Request "]) expect(row(mid, name)).toMatch(/^\w+ +[\d.]+ [µm]?s +[\d.]+ [µm]?s$/);
    expect(row(mid, "req/s")).toMatch(/^req\/s {6}[ ▁▂▃▄▅▆▇█]+max [\d.]+k?$/);
    expect(row(mid, "Errors")).toMatch(/^Errors {5}(none|\d+ failed, 1 kind)$/);
    expect(mid[23]).toBe("Ctrl-C cancels in-flight requests and writes the results; twice exits now");

    const end = await waitForPane("run", (rows) => rows.some((r) => r.startsWith("EXIT=")), 20_000);
    expect(await paneFlag("run", "alternate_on")).toBe("0");
    expect(await paneFlag("run", "cursor_flag")).toBe("1");
    expect(end.join("\n")).toContain("EXIT=0");
    // The scrollback holds what came before the dashboard, then the summary; nothing of the dashboard.
    const text = (await pane("run", true)).join("\n");
    expect(text.indexOf("profiling http:")).toBeGreaterThanOrEqual(0);
    expect(text.indexOf("Request Throughput")).toBeGreaterThan(text.indexOf("profiling http:"));
    expect(text).toMatch(/Benchmark Duration: [\d.]+ sec/);
    expect(text).not.toContain("Ctrl-C cancels");
  }, 40_000);

  test("a resize redraws at the new size; Ctrl-C cancels, the screen comes back with the summary and the messages", async () => {
    await startProfile("ctrlc", 80, 24, ["--concurrency", "4", "--request-count", "100000", "--artifact-dir", join(dir, "ctrlc")]);
    await waitForPane("ctrlc", (rows) => progressDone(rows) >= 10, 15_000);
    await tmux("resize-window", "-t", "ctrlc", "-x", "120", "-y", "40");
    const wide = await waitForPane("ctrlc", (rows) => rows.length === 40 && row(rows, "Latency").includes("p90"), 5_000);
    expect(wide.map((r) => Bun.stringWidth(r)).filter((w) => w > 120)).toEqual([]);
    expect(row(wide, "Profiling").length).toBeGreaterThan(100);
    await tmux("send-keys", "-t", "ctrlc", "C-c");
    const end = await waitForPane("ctrlc", (rows) => rows.some((r) => r.startsWith("EXIT=")), 20_000);
    expect(await paneFlag("ctrlc", "alternate_on")).toBe("0");
    expect(end.join("\n")).toContain("EXIT=1");
    const text = (await pane("ctrlc", true)).join("\n");
    expect(text).toContain("interrupted: cancelling in-flight requests");
    expect(text).toContain("Request Throughput");
    expect(text).not.toContain("Ctrl-C cancels");
  }, 40_000);
});
