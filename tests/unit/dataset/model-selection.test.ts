import { describe, expect, test } from "bun:test";
import { assignModels } from "../../../src/dataset/model-selection.ts";
import type { SessionSpec } from "../../../src/dataset/plan-types.ts";

const sessions = (turnsEach: number[]): SessionSpec[] =>
  turnsEach.map((n, i) => ({
    sessionId: `s${i}`,
    turns: Array.from({ length: n }, () => ({ prompt: { kind: "text", text: "x", tokens: 1 }, maxTokens: null, timestampMs: null, delayMs: 0 })),
  }));
const models = (ss: SessionSpec[]) => ss.map((s) => s.turns.map((t) => t.model ?? "-"));

describe("assignModels (AIPerf --model-selection-strategy)", () => {
  const cases: [string, number[], string[], string[][]][] = [
    ["one model: turns keep none", [1, 2], ["a"], [["-"], ["-", "-"]]],
    ["round_robin over every turn in dataset order", [1, 2, 1], ["a", "b"], [["a"], ["b", "a"], ["b"]]],
    [
      "round_robin over three",
      [2, 2],
      ["a", "b", "c"],
      [
        ["a", "b"],
        ["c", "a"],
      ],
    ],
  ];
  test.each(cases)("%s", (_, shape, names, want) => {
    const ss = sessions(shape);
    assignModels(ss, names, "round_robin", 1);
    expect(models(ss)).toEqual(want);
  });

  test("random: every turn gets one of the models, the same for the same seed, uniform enough", () => {
    const a = sessions(Array.from({ length: 400 }, () => 1));
    const b = sessions(Array.from({ length: 400 }, () => 1));
    assignModels(a, ["x", "y"], "random", 7);
    assignModels(b, ["x", "y"], "random", 7);
    const picks = models(a).flat();
    expect(picks.length).toBe(400);
    expect(picks).toEqual(models(b).flat());
    const xs = picks.filter((m) => m === "x").length;
    expect(xs + picks.filter((m) => m === "y").length).toBe(400);
    expect(xs).toBeGreaterThan(150);
    expect(xs).toBeLessThan(250);
    const c = sessions(Array.from({ length: 400 }, () => 1));
    assignModels(c, ["x", "y"], "random", 8);
    expect(models(c).flat()).not.toEqual(picks);
  });
});
