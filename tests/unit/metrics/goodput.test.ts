import { describe, expect, test } from "bun:test";
import { parseGoodput, sloVerdict } from "../../../src/metrics/goodput.ts";
import { recordValues } from "../../../src/metrics/record-values.ts";
import { makeRecord, type RecordSpec } from "../../helpers/records.ts";

const rec = (s: RecordSpec) => makeRecord({ startNs: 1_000_000_000_000, ...s });

describe("parseGoodput: AIPerf syntax", () => {
  test("space-separated tag:value pairs in display units, converted to internal units", () => {
    const { slos, problems } = parseGoodput(["time_to_first_token:100 inter_token_latency:3.40"]);
    expect(problems).toEqual([]);
    expect(slos).toEqual([
      { tag: "time_to_first_token", displayValue: 100, threshold: 100 * 1_000_000, op: "<=" },
      // AIPerf converts display -> internal with value * (1e9 / 1000): 3.40 ms -> 3399999.9999999995 ns
      { tag: "inter_token_latency", displayValue: 3.4, threshold: 3.4 * 1_000_000, op: "<=" },
    ]);
  });
  test("the flag may repeat; larger-is-better metrics use >=", () => {
    const { slos, problems } = parseGoodput(["request_latency:250", "  output_token_throughput_per_user:600  "]);
    expect(problems).toEqual([]);
    expect(slos.map((s) => [s.tag, s.op, s.threshold])).toEqual([
      ["request_latency", "<=", 250_000_000],
      ["output_token_throughput_per_user", ">=", 600],
    ]);
  });
  test("Python float syntax for values", () => {
    const { slos, problems } = parseGoodput(["time_to_first_token:1e2 request_latency:.5 output_sequence_length:1_000"]);
    expect(problems).toEqual([]);
    expect(slos.map((s) => s.displayValue)).toEqual([100, 0.5, 1000]);
  });

  const PROBLEMS: [string, string[], string][] = [
    ["unknown tag with a suggestion", ["time_to_frist_token:100"], `--goodput: unknown metric "time_to_frist_token" (did you mean "time_to_first_token"?)`],
    ["unknown tag without a close match", ["latency_p99:100"], `--goodput: unknown metric "latency_p99"`],
    ["non-numeric value", ["request_latency:fast"], `--goodput: value for "request_latency" must be a finite number, got "fast"`],
    ["non-finite value", ["request_latency:inf"], `--goodput: value for "request_latency" must be a finite number, got "inf"`],
    [
      "derived metric",
      ["request_throughput:10"],
      `--goodput: "request_throughput" is a derived metric and cannot be used for --goodput; use a per-request metric (e.g. time_to_first_token, inter_token_latency)`,
    ],
    [
      "aggregate metric",
      ["request_count:10"],
      `--goodput: "request_count" is an aggregate metric and cannot be used for --goodput; use a per-request metric (e.g. time_to_first_token, inter_token_latency)`,
    ],
    ["error-only metric", ["error_isl:10"], `--goodput: "error_isl" is only computed for failed requests and cannot be used for --goodput`],
    ["list metric", ["inter_chunk_latency:10"], `--goodput: "inter_chunk_latency" has several values per request and cannot be used for --goodput`],
    ["duplicate tag", ["request_latency:10", "request_latency:20"], `--goodput: "request_latency" is given more than once`],
    ["missing colon", ["request_latency"], `--goodput: "request_latency" is not in 'tag:value' form`],
    ["empty value", ["request_latency:"], `--goodput: "request_latency:" has an empty value`],
    ["empty tag", [":5"], `--goodput: ":5" has an empty metric tag`],
    ["empty string", ["  "], `--goodput: expected space-separated 'tag:value' pairs (e.g. "time_to_first_token:100"), got an empty string`],
  ];
  for (const [name, items, problem] of PROBLEMS) {
    test(`problem: ${name}`, () => {
      const r = parseGoodput(items);
      expect(r.problems).toEqual([problem]);
    });
  }
  test("every problem is reported, one line each; good pairs still parse", () => {
    const r = parseGoodput(["time_to_first_token:100 bogus:1 request_latency:x", "request_throughput:2"]);
    expect(r.problems).toHaveLength(3);
    expect(r.slos.map((s) => s.tag)).toEqual(["time_to_first_token"]);
  });
  test("streaming-only metrics are left out of a non-streaming run's SLOs with a note (AIPerf: only applicable metrics count)", () => {
    const r = parseGoodput(["request_latency:250 inter_token_latency:10"], { streaming: false });
    expect(r.problems).toEqual([]);
    expect(r.slos.map((s) => s.tag)).toEqual(["request_latency"]);
    expect(r.notes).toEqual([`--goodput: "inter_token_latency" is only measured with --streaming; left out of the SLOs (as AIPerf does)`]);
    expect(parseGoodput(["inter_token_latency:10"], { streaming: true }).notes).toEqual([]);
  });
});

describe("good/bad classification", () => {
  const slos = parseGoodput(["time_to_first_token:25 output_token_throughput_per_user:90"]).slos;
  const CASES: [string, RecordSpec, 0 | 1 | undefined][] = [
    // ITL = (60 - 20) / 4 = 10 ms -> 100 tokens/s/user
    ["meets both", { chunkMs: [20, 30, 40, 50, 60] }, 1],
    ["TTFT exactly at the threshold is good (<=)", { chunkMs: [25, 35, 45, 55, 65] }, 1],
    // ITL = 40 / 3 ms -> 75 tokens/s/user < 90
    ["throughput below its SLO (>=)", { chunkMs: [20, 33, 46, 60] }, 0],
    ["TTFT above its SLO", { chunkMs: [26, 36, 46, 56, 66] }, 0],
    // one token: no ITL, so no per-user throughput -> not counted at all
    ["missing SLO metric", { chunkMs: [10] }, undefined],
  ];
  for (const [name, spec, want] of CASES) {
    test(name, () => {
      const v = recordValues(rec(spec), { streaming: true });
      expect(sloVerdict((t) => v.get(t), slos)).toBe(want);
    });
  }
  test("a failing SLO and a missing one: not counted (AIPerf checks presence first)", () => {
    const s = parseGoodput(["time_to_first_token:5 time_to_second_token:100"]).slos;
    const v = recordValues(rec({ chunkMs: [10] }), { streaming: true });
    expect(sloVerdict((t) => v.get(t), s)).toBeUndefined();
  });
});

describe("SLOs on metrics a run does not measure", () => {
  test("an SLO on TTFT in a non-streaming run leaves every request out of good_request_count", () => {
    const slos = parseGoodput(["time_to_first_token:1000"]).slos; // parsed without the streaming context
    const v = recordValues(rec({ chunkMs: [10, 20] }), { streaming: false, slos });
    expect(v.has("good_request_count")).toBe(false);
  });
});
