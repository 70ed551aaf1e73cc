import { describe, expect, test } from "bun:test";
import { alternateSpacingStep, initialUsers, userCentricPlan } from "../../../src/schedule/user-centric.ts";

const S = 1e9;
const plan = (o: Parameters<typeof userCentricPlan>[0]) => {
  const p = userCentricPlan(o);
  return { starts: Array.from(p.offsetsNs, (x, i) => [x / S, p.turns[i]!]), gapS: p.turnGapNs / S };
};

describe("user-centric schedule (AIPerf user_centric_rate.py)", () => {
  test("AIPerf's worked example: 15 users, 20 turns, 1 QPS", () => {
    const p = plan({ ratePerSec: 1, numUsers: 15, sessionTurns: 20, turnsOf: () => 20, maxUsers: 16 });
    expect(p.gapS).toBe(15);
    expect(p.starts).toEqual([
      [0, 20],
      [1, 6],
      [2, 11],
      [3, 16],
      [4, 2],
      [5, 7],
      [6, 12],
      [7, 17],
      [8, 3],
      [9, 8],
      [10, 13],
      [11, 18],
      [12, 4],
      [13, 9],
      [14, 14],
      // The first replacement: the user started at 4 s with 2 turns is done at 4 + 2 * 15.
      [34, 20],
    ]);
  });

  const tables: [string, Parameters<typeof userCentricPlan>[0], number[][]][] = [
    [
      "single-turn sessions become a constant rate",
      { ratePerSec: 2, numUsers: 3, sessionTurns: 1, turnsOf: () => 1, maxUsers: 6 },
      [
        [0, 1],
        [0.5, 1],
        [1, 1],
        [1.5, 1],
        [2, 1],
        [2.5, 1],
      ],
    ],
    [
      "a budget is capped at the session's length, and the replacement comes that much sooner",
      { ratePerSec: 1, numUsers: 2, sessionTurns: 3, turnsOf: (j) => (j === 0 ? 1 : 3), maxUsers: 4 },
      // lifetime 2, gcd(2,2)=2: step 1; i=1: turns 2 - 1 = 1 at order 2 - 1 = 1; new user at 0 (1 turn: its session has one).
      [
        [0, 1],
        [1, 1],
        [2, 3],
        [3, 3],
      ],
    ],
    [
      "maxOffsetNs stops before the first start at or after it",
      { ratePerSec: 2, numUsers: 3, sessionTurns: 1, turnsOf: () => 1, maxOffsetNs: 1.5 * S },
      [
        [0, 1],
        [0.5, 1],
        [1, 1],
      ],
    ],
  ];
  test.each(tables)("%s", (_, o, want) => {
    expect(plan(o).starts).toEqual(want);
  });

  test("initial users: orders are distinct, the new user fires first with every turn", () => {
    expect(initialUsers(4, 3)).toEqual([
      { order: 1, turns: 1 },
      { order: 2, turns: 1 },
      { order: 3, turns: 2 },
      { order: 0, turns: null },
    ]);
    for (const [n, t] of [
      [8, 5],
      [12, 7],
      [10, 11],
      [6, 4],
    ] as const) {
      const orders = initialUsers(n, t).map((u) => u.order);
      expect(new Set(orders).size).toBe(orders.length);
    }
  });

  test("alternate spacing step: smallest coprime > 1, or 1 for n <= 2", () => {
    const cases: [number, number][] = [
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 3],
      [6, 5],
      [9, 2],
      [30, 7],
    ];
    for (const [n, step] of cases) expect(alternateSpacingStep(n)).toBe(step);
  });

  test("bad options are RangeErrors", () => {
    const base = { ratePerSec: 1, numUsers: 2, sessionTurns: 2, turnsOf: () => 2, maxUsers: 3 };
    expect(() => userCentricPlan({ ...base, ratePerSec: 0 })).toThrow(RangeError);
    expect(() => userCentricPlan({ ...base, numUsers: 0 })).toThrow(RangeError);
    expect(() => userCentricPlan({ ...base, maxUsers: undefined })).toThrow(/finite maxUsers or maxOffsetNs/);
  });
});
