import { describe, expect, test } from "bun:test";
import { describeUnreachable, isConnectionFailure, UnreachableTracker, unreachableWindows, type AttemptRecord } from "../../../src/metrics/unreachable.ts";

const MS = 1e6;
const A = "http://a/v1/chat/completions";
const B = "http://b/v1/chat/completions";

type Kind = "ok" | "refused" | "reset" | "connect-timeout" | "http500" | "broken-stream" | "cancelled";

/** A record of `kind` that started at `startMs` and ended at `endMs` (headers 1 ms after start if any came). */
function rec(kind: Kind, startMs: number, endMs: number, url = A): AttemptRecord {
  const responded = kind === "ok" || kind === "http500" || kind === "broken-stream";
  const error: AttemptRecord["error"] = {
    ok: null,
    refused: { code: 0, type: "connection_error", message: "ECONNREFUSED" },
    reset: { code: 0, type: "connection_error", message: "ECONNRESET" },
    "connect-timeout": { code: 408, type: "timeout", message: "no complete response within 1 s" },
    http500: { code: 500, type: "http_error", message: "HTTP 500" },
    "broken-stream": { code: 0, type: "connection_error", message: "stream broken: ECONNRESET" },
    cancelled: { code: 499, type: "cancelled", message: "request cancelled by the client" },
  }[kind];
  return { url, start_ns: startMs * MS, ack_ns: responded ? (startMs + 1) * MS : 0, end_ns: endMs * MS, cancelled: kind === "cancelled", error };
}

describe("isConnectionFailure", () => {
  const cases: [Kind, boolean][] = [
    ["ok", false],
    ["refused", true],
    ["reset", true],
    ["connect-timeout", true],
    ["http500", false],
    ["broken-stream", false],
    ["cancelled", false],
  ];
  for (const [kind, want] of cases) test(kind, () => expect(isConnectionFailure(rec(kind, 0, 5))).toBe(want));
});

describe("unreachableWindows", () => {
  const cases: { name: string; records: AttemptRecord[]; want: [startMs: number, endMs: number, attempts: number, recovered: boolean, url?: string][] }[] = [
    { name: "no failures", records: [rec("ok", 0, 10), rec("http500", 5, 6)], want: [] },
    {
      name: "an outage: from the first failed attempt until the next response headers",
      records: [
        rec("ok", 0, 10),
        rec("refused", 100, 100),
        rec("refused", 110, 110),
        rec("reset", 130, 131),
        rec("ok", 2100, 2200),
        rec("refused", 2300, 2300),
      ],
      want: [
        [100, 2101, 3, true],
        [2300, 2300, 1, false],
      ],
    },
    {
      name: "an HTTP error is an answer: it ends the window",
      records: [rec("refused", 0, 0), rec("http500", 50, 51)],
      want: [[0, 51, 1, true]],
    },
    {
      name: "a response whose headers came before the outage does not end it",
      records: [rec("refused", 100, 100), rec("ok", 0, 500), rec("refused", 600, 600), rec("ok", 700, 800)],
      want: [[100, 701, 2, true]],
    },
    {
      name: "cancels and broken streams neither open nor end a window",
      records: [rec("cancelled", 0, 1), rec("broken-stream", 2, 3), rec("refused", 10, 10), rec("cancelled", 20, 21), rec("refused", 30, 40)],
      want: [[10, 40, 2, false]],
    },
    {
      name: "timeouts before any byte count; the window spans them",
      records: [rec("connect-timeout", 0, 1000), rec("connect-timeout", 1000, 2000)],
      want: [[0, 2000, 2, false]],
    },
    {
      name: "per URL: one server down while the other answers",
      records: [rec("refused", 0, 0, A), rec("ok", 1, 5, B), rec("refused", 10, 10, A), rec("ok", 20, 30, A)],
      want: [[0, 21, 2, true, A]],
    },
    {
      name: "a failure that started earlier but arrived later moves the start back",
      records: [rec("refused", 50, 50), rec("connect-timeout", 0, 60)],
      want: [[0, 60, 2, false]],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = unreachableWindows(c.records).map((w) => [w.startNs / MS, w.endNs / MS, w.attempts, w.recovered, w.url]);
      expect(got).toEqual(c.want.map(([s, e, n, rcv, url]) => [s, e, n, rcv, url ?? A]));
      for (const w of unreachableWindows(c.records)) expect(w.durationNs).toBe(w.endNs - w.startNs);
    });
  }

  test("add() returns the window the moment a response closes it", () => {
    const t = new UnreachableTracker();
    expect(t.add(rec("refused", 0, 0))).toBeNull();
    expect(t.add(rec("refused", 10, 10))).toBeNull();
    expect(t.add(rec("ok", 2000, 2100))).toEqual({ url: A, startNs: 0, endNs: 2001 * MS, durationNs: 2001 * MS, attempts: 2, recovered: true });
    expect(t.add(rec("ok", 3000, 3100))).toBeNull();
    expect(t.windows().length).toBe(1);
  });
});

describe("describeUnreachable", () => {
  const clock = (ns: number): string => `t${ns / MS}`;
  test("recovered, still down, one attempt, with the URL", () => {
    const [w] = unreachableWindows([rec("refused", 3000, 3000), rec("refused", 3010, 3010), rec("ok", 5100, 5200)]);
    expect(describeUnreachable(w!, { clock })).toBe("server unreachable for 2.1 s from t3000 (2 attempts)");
    const [down] = unreachableWindows([rec("refused", 0, 0, B)]);
    expect(describeUnreachable(down!, { clock, withUrl: true })).toBe(`server ${B} unreachable for 0.0 s from t0 (1 attempt, still unreachable at the end)`);
  });
});
