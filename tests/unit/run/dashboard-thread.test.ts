import { afterEach, describe, expect, test } from "bun:test";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordValues } from "../../../src/metrics/record-values.ts";
import type { RequestRecord } from "../../../src/record/request-record.ts";
import { UNICODE_GLYPHS } from "../../../src/report/live-format.ts";
import { ENTER_SCREEN, LEAVE_SCREEN } from "../../../src/report/screen.ts";
import { DashboardThread } from "../../../src/run/dashboard-thread.ts";
import { LiveView } from "../../../src/run/live-view.ts";
import { LiveStats } from "../../../src/report/live-stats.ts";
import { fakeIo } from "../../helpers/fake-io.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A file standing in for the terminal: the thread writes frames to its fd, the main side the restore. */
function terminalFile(): { path: string; fd: number; mainWrites: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "llmbench-dash-"));
  dirs.push(dir);
  const path = join(dir, "tty");
  return { path, fd: openSync(path, "w"), mainWrites: [] };
}

const T0_NS = Date.now() * 1e6;
function record(i: number, ok: boolean): RequestRecord {
  const start = T0_NS - 2e9 + i * 1e6;
  return {
    x_request_id: `r${i}`,
    request_index: i,
    session_num: i,
    conversation_id: `s${i}`,
    turn_index: 0,
    worker_id: 0,
    phase: "profiling",
    url: "http://127.0.0.1:1/v1/chat/completions",
    model: "m",
    scheduled_ns: start,
    queue_ns: 0,
    start_ns: start,
    ack_ns: start + 1e6,
    first_token_ns: start + 20e6,
    first_output_token_ns: start + 20e6,
    last_token_ns: start + 40e6,
    end_ns: start + 41e6,
    http_status: ok ? 200 : 500,
    cancelled: false,
    error: ok ? null : { code: 500, type: "http_error", message: "HTTP 500: broken backend" },
    input_tokens: 10,
    requested_output_tokens: 3,
    output_tokens: 3,
    reasoning_tokens: 0,
    usage_prompt_tokens: null,
    usage_completion_tokens: null,
    usage_total_tokens: null,
    usage_reasoning_tokens: null,
    chunks: [
      { arrival_ns: start + 20e6, tokens: 1, bytes: 10 },
      { arrival_ns: start + 30e6, tokens: 1, bytes: 10 },
      { arrival_ns: start + 40e6, tokens: 1, bytes: 10 },
    ],
  };
}

const SRC = {
  title: "thread-model  http://127.0.0.1:1/v1/chat/completions",
  plan: { warmup: false, warmupTotal: 0, warmupDurationMs: null, profilingTotal: 50, profilingDurationMs: null },
  streaming: true,
};

async function waitFor(path: string, needle: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const text = readFileSync(path, "utf8");
    if (text.includes(needle) || Date.now() > deadline) return text;
    await Bun.sleep(20);
  }
}

describe("DashboardThread", () => {
  test("draws on its own thread under SCHED_IDLE, from the numbers the main thread hands it; nothing after close", async () => {
    const term = terminalFile();
    const t = await DashboardThread.start({
      src: SRC,
      startNs: T0_NS - 3e9,
      fd: term.fd,
      color: false,
      glyphs: UNICODE_GLYPHS,
      write: (s) => term.mainWrites.push(s),
    });
    expect(t).not.toBeNull();
    const thread = t!;
    if (process.platform === "linux") expect(thread.idle).toBe("sched_idle");
    const opts = { streaming: true };
    for (let i = 0; i < 12; i++) {
      const r = record(i, i !== 5);
      thread.add(r, recordValues(r, opts));
    }
    thread.tick({ nowNs: T0_NS, inFlight: 7, stopping: null, logs: [], width: 80, height: 24 });
    const drawn = await waitFor(term.path, "broken backend");
    expect(drawn.startsWith(ENTER_SCREEN)).toBe(true);
    expect(drawn).toContain("thread-model");
    // 12 finished of 50, one of them failed, with its message in the error breakdown.
    expect(drawn).toContain("12/50 requests");
    expect(drawn).toContain("broken backend");
    thread.close();
    expect(term.mainWrites).toEqual([LEAVE_SCREEN]);
    const sizeAtClose = readFileSync(term.path).length;
    thread.tick({ nowNs: T0_NS + 1e9, inFlight: 0, stopping: null, logs: [], width: 80, height: 24 });
    await Bun.sleep(300);
    expect(readFileSync(term.path).length).toBe(sizeAtClose);
    thread.close();
    expect(term.mainWrites).toHaveLength(1);
    closeSync(term.fd);
  });

  test("LiveView with a real stderr fd draws through the thread and restores the screen on stop", async () => {
    const term = terminalFile();
    const io = fakeIo("/tmp", { LANG: "C.UTF-8" });
    io.stderrIsTTY = true;
    io.stderrSize = () => ({ columns: 80, rows: 24 });
    io.stderrFd = term.fd;
    const view = new LiveView(io);
    const stats = new LiveStats();
    const sink = view.recordSink(stats);
    await view.start("dashboard", { shared: { inFlight: 2, stopped: false, cancelled: false }, stats, ...SRC });
    const r = record(1, true);
    sink.add(r, recordValues(r, { streaming: true }));
    // The record went to the thread, not into this thread's stats.
    expect(stats.snapshot(T0_NS, 80, 5).done.profiling).toBe(0);
    view.io.err("held while the dashboard is up\n");
    view.draw();
    const drawn = await waitFor(term.path, "1/50 requests");
    expect(drawn).toContain("1/50 requests");
    expect(drawn).toContain("thread-model");
    expect(io.stderr).toEqual([]);
    view.stop();
    expect(io.stderr).toEqual([LEAVE_SCREEN, "held while the dashboard is up\n"]);
    closeSync(term.fd);
  });
});
