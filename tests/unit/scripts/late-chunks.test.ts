// The late-chunk diagnosis's pure parts: gap errors against the server's record, episodes, and who held the core.
import { describe, expect, test } from "bun:test";
import { episodes, gapErrors, heldBy, switches } from "../../../scripts/late-chunks.ts";

describe("gapErrors", () => {
  const truth = new Map([
    ["a", { request_id: "a", received_ns: 0, chunks: [1_000_000, 11_000_000, 21_000_000] }],
    ["b", { request_id: "b", received_ns: 0, chunks: [5_000_000, 15_000_000] }],
  ]);
  test("each gap's error is the client's gap minus the server's, per request, in ms", () => {
    const rows = [
      ["a", 0, 1_100_000],
      ["a", 1, 11_100_000], // on time: 0
      ["a", 2, 21_900_000], // 0.8 ms late
      ["b", 0, 5_050_000],
      ["b", 1, 15_000_000], // 0.05 ms early
    ];
    const g = gapErrors(truth, rows);
    expect(g.map((x) => Math.round(x.errMs * 1000) / 1000)).toEqual([0, 0.8, -0.05]);
    expect(g.map((x) => x.atNs)).toEqual([11_100_000, 21_900_000, 15_000_000]);
  });
  test("chunks the server has no record of are skipped", () => {
    expect(
      gapErrors(truth, [
        ["z", 0, 1],
        ["z", 1, 2],
        ["a", 5, 3],
      ]),
    ).toEqual([]);
  });
});

describe("episodes", () => {
  test("late chunks (over 0.5 ms) closer than 2 ms make one episode, with its count and max", () => {
    const e = episodes([
      { atNs: 10e6, errMs: 0.6 },
      { atNs: 11e6, errMs: 1.5 },
      { atNs: 12.5e6, errMs: 0.7 },
      { atNs: 13e6, errMs: 0.2 }, // not late
      { atNs: 20e6, errMs: 0.9 },
    ]);
    expect(e).toEqual([
      { startNs: 10e6, n: 3, maxMs: 1.5 },
      { startNs: 20e6, n: 1, maxMs: 0.9 },
    ]);
  });
  test("none late, no episode", () => expect(episodes([{ atNs: 1, errMs: 0.5 }])).toEqual([]));
});

describe("switches and heldBy", () => {
  const text = [
    "   100.000000000: sched:sched_switch: prev_comm=a prev_pid=1 prev_prio=120 prev_state=S ==> next_comm=Worker next_pid=7 next_prio=120",
    "100.000400000: sched:sched_switch: prev_comm=Worker prev_pid=7 prev_prio=120 prev_state=S ==> next_comm=llmbench next_pid=5 next_prio=120",
    "not a switch line",
    "100.001000000: sched:sched_switch: prev_comm=llmbench prev_pid=5 prev_prio=120 prev_state=R ==> next_comm=Worker next_pid=7 next_prio=120",
  ].join("\n");
  const sw = switches(text, 1_000);
  test("parses the thread that took the core, in epoch ns", () => {
    expect(sw.length).toBe(3);
    expect(sw[0]).toEqual({ atNs: 100e9 + 1_000, thread: "Worker:7" });
    expect(sw[1]!.thread).toBe("llmbench:5");
  });
  test("splits a window's time by the thread on the core", () => {
    const held = heldBy(sw, 100e9 + 1_000 + 200_000, 100e9 + 1_000 + 1_200_000);
    expect([...held].sort()).toEqual([
      ["Worker:7", 400_000],
      ["llmbench:5", 600_000],
    ]);
  });
});
