import { describe, expect, test } from "bun:test";
import { dashboardLines, type DashboardOptions } from "../../../src/report/dashboard-view.ts";
import { ASCII_GLYPHS, UNICODE_GLYPHS } from "../../../src/report/live-format.ts";
import { visibleWidth } from "../../../src/report/screen.ts";
import { liveSnapshot, liveState } from "../../helpers/live-state.ts";

const opts = (width: number, height: number, over: Partial<DashboardOptions> = {}): DashboardOptions => ({
  width,
  height,
  color: false,
  glyphs: UNICODE_GLYPHS,
  ...over,
});
const LOGS = ["[llmbench] starting", "interrupted: cancelling in-flight requests"];

describe("dashboard frames", () => {
  test("80x24", () => {
    expect(dashboardLines(liveState({ logs: LOGS }), opts(80, 24))).toEqual([
      "llmbench profile  mock-model  http://127.0.0.1:39017/v1/chat/completions",
      "",
      "Profiling  █████████████████████████████░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░  45%",
      "           2250/5000 requests   elapsed 10 s   ETA 12 s",
      "",
      "Requests   2250 done   16 in flight   3 failed (0.1%)",
      "Throughput 240 req/s   12.3k output tok/s   last 10 s",
      "",
      "Latency            p50        p99   last 10 s",
      "TTFT           42.1 ms     118 ms",
      "ITL            5.02 ms    9.81 ms",
      "Request         812 ms     1.20 s",
      "",
      "req/s      ▇▇████████▇▇▇▆▆▅▅▅▅▄▄▄▄▄▅▅▅▆▆▆▇▇▇████████▇▇▇▆▆▆▅▅▅▅▄▄▄▄▅ max 260",
      "TTFT p50   ▇▇████████▇▇▇▆▆▅▅▅▅▄▄▄▄▄▅▅▅▆▆▆▇▇▇████████▇▇▇▆▆▆▅▅▅▅▄▄▄▄▅ max 52.0 ms",
      "",
      "Errors     3 failed, 2 kinds",
      "        2  http_error 500         Internal Server Error",
      "        1  timeout                request timed out after 1 s",
      "",
      "",
      "",
      "interrupted: cancelling in-flight requests",
      "Ctrl-C cancels in-flight requests and writes the results; twice exits now",
    ]);
  });

  test("120x40: p90, taller sparklines, more log lines", () => {
    expect(dashboardLines(liveState({ logs: LOGS }), opts(120, 40))).toEqual([
      "llmbench profile  mock-model  http://127.0.0.1:39017/v1/chat/completions",
      "",
      "Profiling  ███████████████████████████████████████████████░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░  45%",
      "           2250/5000 requests   elapsed 10 s   ETA 12 s",
      "",
      "Requests   2250 done   16 in flight   3 failed (0.1%)",
      "Throughput 240 req/s   12.3k output tok/s   last 10 s",
      "",
      "Latency            p50        p90        p99   last 10 s",
      "TTFT           42.1 ms    80.0 ms     118 ms",
      "ITL            5.02 ms    7.00 ms    9.81 ms",
      "Request         812 ms     1.10 s     1.20 s",
      "",
      "req/s      ▂▄▅▆▆▇█████▇▆▅▄▃▂▁            ▁▂▃▄▅▆▇▇████▇▇▆▅▄▃▂            ▁▂▃▄▅▆▇▇████▇▇▆▅▄▃▂▁                max 260",
      "           ███████████████████▇▆▆▅▅▅▅▆▆▇█████████████████████▇▇▆▅▅▅▅▅▆▇██████████████████████▇▆▆▅▅▅▅▆",
      "           ██████████████████████████████████████████████████████████████████████████████████████████",
      "TTFT p50   ▂▄▅▆▆▇█████▇▆▅▄▃▂▁            ▁▂▃▄▅▆▇▇████▇▇▆▅▄▃▂            ▁▂▃▄▅▆▇▇████▇▇▆▅▄▃▂▁                max 52.0 ms",
      "           ███████████████████▇▆▆▅▅▅▅▆▆▇█████████████████████▇▇▆▅▅▅▅▅▆▇██████████████████████▇▆▆▅▅▅▅▆",
      "           ██████████████████████████████████████████████████████████████████████████████████████████",
      "",
      "Errors     3 failed, 2 kinds",
      "        2  http_error 500         Internal Server Error",
      "        1  timeout                request timed out after 1 s",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "[llmbench] starting",
      "interrupted: cancelling in-flight requests",
      "Ctrl-C cancels in-flight requests and writes the results; twice exits now",
    ]);
  });

  test("a short terminal drops the gaps, then the least useful sections; the footer stays last", () => {
    const lines = dashboardLines(liveState(), opts(80, 12));
    expect(lines).toEqual([
      "llmbench profile  mock-model  http://127.0.0.1:39017/v1/chat/completions",
      "Profiling  █████████████████████████████░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░  45%",
      "           2250/5000 requests   elapsed 10 s   ETA 12 s",
      "Requests   2250 done   16 in flight   3 failed (0.1%)",
      "Throughput 240 req/s   12.3k output tok/s   last 10 s",
      "Latency            p50        p99   last 10 s",
      "TTFT           42.1 ms     118 ms",
      "ITL            5.02 ms    9.81 ms",
      "Request         812 ms     1.20 s",
      "Errors     3 failed, 2 kinds",
      "",
      "Ctrl-C cancels in-flight requests and writes the results; twice exits now",
    ]);
  });

  test("every size from 1x1 to 200x60: exactly `height` lines, none wider than `width`, with and without colour", () => {
    let checked = 0;
    for (const width of [1, 10, 20, 39, 40, 59, 80, 81, 99, 100, 132, 200]) {
      for (const height of [1, 2, 5, 10, 12, 16, 20, 24, 29, 34, 40, 60]) {
        for (const color of [false, true]) {
          const lines = dashboardLines(liveState({ logs: LOGS }), opts(width, height, { color }));
          expect(lines.length).toBe(height);
          const widths = lines.map(visibleWidth);
          expect(widths.filter((w) => w > width)).toEqual([]);
          checked++;
        }
      }
    }
    expect(checked).toBe(12 * 12 * 2);
  });

  test("colour: SGR codes only, the same text underneath", () => {
    const plain = dashboardLines(liveState(), opts(80, 24));
    const colored = dashboardLines(liveState(), opts(80, 24, { color: true }));
    expect(colored.join("\n")).toContain("\x1b[31m");
    expect(colored.map((l) => l.replace(/\x1b\[[0-9;]*m/g, "").trimEnd())).toEqual(plain);
  });

  test("server text is escaped: control characters cannot reach the terminal", () => {
    const hostile = liveSnapshot({
      errors: [{ type: "bad\x1b]0;pwned\x07", code: 502, count: 1, message: "\x1b[2J\x1b[Hcleared\u202eevil\r\nfake line" }],
      errorKinds: 1,
    });
    const lines = dashboardLines(liveState({ stats: hostile, title: "m\x1b[31m  http://h", logs: ["log \x1b]52;c;aGk=\x07"] }), opts(120, 24));
    const text = lines.join("\n");
    expect(text).not.toContain("\x1b");
    expect(text).not.toContain("\x07");
    expect(text).not.toContain("\u202e");
    expect(text).not.toContain("\r");
    expect(lines.find((l) => l.includes("pwned"))).toBe("        1  bad\\x1b]0;pwned\\x07 502 \\x1b[2J\\x1b[Hcleared\\u202eevil\\r\\nfake line");
    expect(lines[0]).toBe("llmbench profile  m\\x1b[31m  http://h");
  });

  test("ASCII glyphs without a UTF-8 locale", () => {
    const lines = dashboardLines(liveState(), opts(80, 24, { glyphs: ASCII_GLYPHS }));
    expect(lines[2]).toBe("Profiling  #############################...................................  45%");
    expect(lines.join("").replace(/[\x20-\x7e]/g, "")).toBe("");
  });

  test("warmup, unknown total, no errors, no streaming, stopping", () => {
    const lines = dashboardLines(
      liveState({
        progress: { phase: "warmup", done: 7, failed: 0, total: null, fraction: null, elapsedMs: 3000, etaMs: null, durationMs: null },
        streaming: false,
        stopping: "stopping",
        stats: liveSnapshot({ errors: [], errorKinds: 0, failed: { warmup: 0, profiling: 0 }, ttft: null, itl: null }),
      }),
      opts(80, 24),
    );
    expect(lines.slice(2, 4)).toEqual(["Warmup     total not known in advance", "           7 requests   elapsed 3 s   ETA -"]);
    expect(lines[5]).toBe("Requests   7 done   16 in flight   0 failed");
    expect(lines.slice(9, 11)).toEqual(["TTFT                 -          -   with --streaming", "ITL                  -          -   with --streaming"]);
    expect(lines[14]).toStartWith("Latency p50");
    expect(lines[16]).toBe("Errors     none");
    expect(lines[23]).toBe("Sending stopped: waiting for requests in flight; Ctrl-C cancels them");
    const cancelling = dashboardLines(liveState({ stopping: "cancelling" }), opts(80, 24));
    expect(cancelling[23]).toBe("Cancelling in-flight requests, then writing the results; Ctrl-C again exits now");
  });

  test("errors in the warmup are counted in the breakdown and said so", () => {
    const lines = dashboardLines(liveState({ stats: liveSnapshot({ failed: { warmup: 2, profiling: 3 }, errorKinds: 1 }) }), opts(80, 24));
    expect(lines[16]).toBe("Errors     5 failed (2 in warmup), 1 kind");
  });

  test("a duration-bounded phase shows its length", () => {
    const lines = dashboardLines(
      liveState({ progress: { phase: "profiling", done: 500, failed: 0, total: null, fraction: 0.25, elapsedMs: 15_000, etaMs: 45_000, durationMs: 60_000 } }),
      opts(80, 24),
    );
    expect(lines[3]).toBe("           500 requests   elapsed 15 s of 1:00   ETA 45 s");
  });
});
