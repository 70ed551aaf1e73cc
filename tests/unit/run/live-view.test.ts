import { afterEach, describe, expect, test } from "bun:test";
import { ENTER_SCREEN, LEAVE_SCREEN } from "../../../src/report/screen.ts";
import { LiveStats } from "../../../src/report/live-stats.ts";
import { LiveView, type LiveSources, type UiMode } from "../../../src/run/live-view.ts";
import { fakeIo, type FakeIo } from "../../helpers/fake-io.ts";

interface TermIo extends FakeIo {
  resize(columns: number, rows: number): void;
  exitHandlers: (() => void)[];
}

/** A fake Io whose stderr is a terminal of the given size. */
function termIo(columns: number, rows: number, env: Record<string, string> = { LANG: "C.UTF-8" }): TermIo {
  const io = fakeIo("/tmp", env) as TermIo;
  let size = { columns, rows };
  const resizers = new Set<() => void>();
  io.stderrIsTTY = true;
  io.stderrSize = () => size;
  io.onResize = (h) => (resizers.add(h), () => void resizers.delete(h));
  io.exitHandlers = [];
  io.onExit = (h) => (io.exitHandlers.push(h), () => void io.exitHandlers.splice(io.exitHandlers.indexOf(h), 1));
  io.resize = (c, r) => {
    size = { columns: c, rows: r };
    for (const h of resizers) h();
  };
  return io;
}

function sources(): LiveSources {
  return {
    shared: { inFlight: 3, stopped: false, cancelled: false },
    stats: new LiveStats(),
    plan: { warmup: false, warmupTotal: 0, warmupDurationMs: null, profilingTotal: 100, profilingDurationMs: null },
    title: "mock-model  http://127.0.0.1:1/v1/chat/completions",
    streaming: true,
  };
}

const views: LiveView[] = [];
async function started(io: FakeIo, ui: UiMode): Promise<LiveView> {
  const v = new LiveView(io);
  views.push(v);
  await v.start(ui, sources());
  return v;
}
afterEach(() => {
  for (const v of views.splice(0)) v.stop();
});

describe("LiveView", () => {
  test("none: nothing drawn, messages pass through", async () => {
    const io = termIo(80, 24);
    const v = await started(io, "none");
    v.draw();
    v.io.err("hello\n");
    v.stop();
    expect(io.stderr).toEqual(["hello\n"]);
  });

  test.each(["simple", "dashboard"] as const)("%s without a terminal: a heartbeat line, messages unchanged", async (ui) => {
    const io = fakeIo("/tmp");
    const v = await started(io, ui);
    v.draw();
    v.io.err("note\n");
    v.stop();
    expect(io.stderr).toEqual(["profiling 0/100 req, 3 in flight, 0 failed\n", "note\n"]);
  });

  test("simple on a terminal: the line redrawn in place; a message erases it first and the line comes back", async () => {
    const io = termIo(80, 24);
    const v = await started(io, "simple");
    v.draw();
    v.io.err("warn: something\n");
    v.stop();
    const line = "\rprofiling  0%  0/100 req  [░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░]  3 in flight\x1b[K";
    expect(io.stderr).toEqual([line, "\r\x1b[Kwarn: something\n", line, line, "\n"]);
  });

  test.each([
    ["a narrow terminal", termIo(39, 24)],
    ["a short terminal", termIo(80, 9)],
    ["TERM=dumb", termIo(80, 24, { TERM: "dumb" })],
  ])("dashboard falls back to the progress line on %s", async (_name, io) => {
    const v = await started(io, "dashboard");
    v.stop();
    expect(io.stderr.join("")).not.toContain(ENTER_SCREEN);
    expect(io.stderr.at(-1)).toBe("\n");
  });

  test("dashboard: alternate screen, messages held and shown, printed after the screen is restored", async () => {
    const io = termIo(80, 24);
    const v = await started(io, "dashboard");
    expect(io.stderr[0]).toBe(ENTER_SCREEN);
    const first = io.stderr[1]!;
    expect(first).toContain("\x1b[1;1H\x1b[1mllmbench profile\x1b[0m  mock-model");
    expect(first).toContain("Profiling");
    v.io.err("\x1b[33mWARN\x1b[39m the server is slow\n");
    expect(io.stderr.length).toBe(2);
    v.draw();
    // Only the log row changed (colour codes of the message stripped, the row dimmed).
    expect(io.stderr[2]).toContain("\x1b[23;1H\x1b[2mWARN the server is slow\x1b[0m\x1b[K");
    v.stop();
    expect(io.stderr.slice(-2)).toEqual([LEAVE_SCREEN, "\x1b[33mWARN\x1b[39m the server is slow\n"]);
    v.stop();
    expect(io.stderr.at(-1)).toBe("\x1b[33mWARN\x1b[39m the server is slow\n");
  });

  test("dashboard: a second Ctrl-C (exit) restores the terminal before the process ends", async () => {
    const io = termIo(80, 24);
    const v = await started(io, "dashboard");
    v.io.err("interrupted twice: exiting now\n");
    v.io.exit(130);
    expect(io.exits).toEqual([130]);
    expect(io.stderr.slice(-2)).toEqual([LEAVE_SCREEN, "interrupted twice: exiting now\n"]);
    expect(io.exitHandlers.length).toBe(0);
  });

  test("dashboard: the process exiting any other way leaves the alternate screen", async () => {
    const io = termIo(80, 24);
    await started(io, "dashboard");
    expect(io.exitHandlers.length).toBe(1);
    io.exitHandlers[0]!();
    expect(io.stderr.at(-1)).toBe(LEAVE_SCREEN);
  });

  test("dashboard: a resize redraws the whole screen at the new size; Ctrl-C makes the next frame redraw too", async () => {
    const io = termIo(80, 24);
    const v = await started(io, "dashboard");
    io.resize(100, 30);
    const frame = io.stderr.at(-1)!;
    expect(frame.startsWith("\x1b[H\x1b[2J")).toBe(true);
    expect(frame).toContain("\x1b[30;1H");
    expect(frame).toContain("p90");
    io.raise("SIGINT");
    v.draw();
    expect(io.stderr.at(-1)!.startsWith("\x1b[H\x1b[2J")).toBe(true);
  });

  test("dashboard: no colour with NO_COLOR", async () => {
    const io = termIo(80, 24, { NO_COLOR: "1" });
    await started(io, "dashboard");
    expect(io.stderr[1]).toContain("\x1b[1;1Hllmbench profile  mock-model");
    expect(io.stderr[1]!.match(/\x1b\[[0-9;]*m/g)).toBeNull();
  });
});
