// --public-dataset, --user-centric-rate / --num-users: what they resolve to and which combinations are refused.
import { describe, expect, test } from "bun:test";
import { parseProfileFlags, resolveProfileConfig } from "../../../src/config/profile-config.ts";
import { camelCase } from "../../../src/config/flag-spec.ts";

function resolve(raw: Record<string, string | boolean | string[]>) {
  const { flags, problems } = parseProfileFlags({ model: "m", ...raw });
  if (problems.length > 0) return { config: null, problems };
  const given = new Set(Object.keys(raw).map(camelCase));
  return resolveProfileConfig(flags, { given, stderrIsTTY: false });
}

describe("dataset and timing flags", () => {
  test("--user-centric-rate with --num-users is a user-centric load, capped by --concurrency", () => {
    const r = resolve({ "user-centric-rate": "2.5", "num-users": "8", concurrency: "4" });
    expect(r.problems).toEqual([]);
    expect(r.config?.load).toEqual({ kind: "user_centric", ratePerSec: 2.5, numUsers: 8, cap: 4 });
    expect(r.config?.requestCount).toBe(10);
    expect(r.config?.artifactDir).toBe("artifacts/m-openai-chat-user_centric-users8-qps2.5");
  });

  const refused: [Record<string, string | boolean>, string][] = [
    [{ "user-centric-rate": "2" }, "--user-centric-rate needs --num-users"],
    [{ "num-users": "2" }, "--num-users needs --user-centric-rate"],
    [{ "user-centric-rate": "2", "num-users": "2", "request-rate": "5" }, "--user-centric-rate and --request-rate cannot be used together"],
    [
      { "user-centric-rate": "2", "num-users": "2", "fixed-schedule": true, "input-file": "t.jsonl" },
      "--user-centric-rate and --fixed-schedule cannot be used together",
    ],
    [
      { "public-dataset": "sharegpt", "custom-dataset-type": "single_turn", "input-file": "x" },
      "--public-dataset and --custom-dataset-type cannot be used together",
    ],
    [{ "public-dataset": "sharegpt", "fixed-schedule": true, "input-file": "s.json" }, "--fixed-schedule cannot be used with --public-dataset"],
    [
      { "public-dataset": "sharegpt", "conversation-turn-mean": "3" },
      "--conversation-turn-mean shapes synthetic prompts and cannot be used with --public-dataset",
    ],
  ];
  test.each(refused)("%p is refused", (raw, why) => {
    expect(resolve(raw).problems.some((p) => p.includes(why))).toBe(true);
  });

  test("--public-dataset with a local --input-file is sampled by request count, not sent once through", () => {
    const r = resolve({ "public-dataset": "sharegpt", "input-file": "local.json" });
    expect(r.problems).toEqual([]);
    expect(r.config?.onePass).toBe(false);
    expect(r.config?.requestCount).toBe(10);
  });

  test("several models: a comma list or the flag repeated; the run is named after the first, with _multi", () => {
    const r = resolve({ model: ["a/x,b", "c"] });
    expect(r.problems).toEqual([]);
    expect(r.config?.models).toEqual(["a/x", "b", "c"]);
    expect(r.config?.model).toBe("a/x");
    expect(r.config?.modelSelectionStrategy).toBe("round_robin");
    expect(r.config?.artifactDir).toBe("artifacts/a_x_multi-openai-chat-concurrency1");
    expect(resolve({ "model-selection-strategy": "round-robin" }).config?.modelSelectionStrategy).toBe("round_robin");
    expect(resolve({ model: "a,,b" }).problems.join(" ")).toContain("--model");
    expect(resolve({ "model-selection-strategy": "weighted" }).problems.join(" ")).toContain("--model-selection-strategy");
  });

  test("bad values name the flag", () => {
    expect(resolve({ "public-dataset": "alpaca" }).problems.join(" ")).toContain("public-dataset");
    expect(resolve({ "user-centric-rate": "0", "num-users": "2" }).problems.join(" ")).toContain("user-centric-rate");
    expect(resolve({ "user-centric-rate": "1", "num-users": "0" }).problems.join(" ")).toContain("num-users");
  });
});
