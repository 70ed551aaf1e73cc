import { describe, expect, test } from "bun:test";
import { labelValue, type PromType, parsePrometheus, parsePromFloat } from "../../../src/metrics/prometheus-parse.ts";
import { newModelMetrics, renderPrometheus } from "../../../src/mock/prometheus.ts";

describe("parsePromFloat", () => {
  const cases: [string, number | null][] = [
    ["1", 1],
    ["-2.5", -2.5],
    ["1e3", 1000],
    ["1.5E-3", 0.0015],
    ["+Inf", Infinity],
    ["Inf", Infinity],
    ["+inf", Infinity],
    ["-Inf", -Infinity],
    ["NaN", NaN],
    ["nan", NaN],
    ["", null],
    ["abc", null],
    ["1x", null],
    ["+", null],
  ];
  for (const [s, want] of cases)
    test(JSON.stringify(s), () => {
      expect(parsePromFloat(s)).toEqual(want);
    });
});

describe("parsePrometheus samples", () => {
  const cases: {
    name: string;
    text: string;
    want: { name: string; family: string; type: PromType; labels: [string, string][]; value: number; ts: number | null }[];
  }[] = [
    { name: "bare untyped", text: "foo 1\n", want: [{ name: "foo", family: "foo", type: "untyped", labels: [], value: 1, ts: null }] },
    {
      name: "gauge with labels and timestamp",
      text: '# TYPE g gauge\ng{a="x",b="y"} 2.5 1700000000000\n',
      want: [
        {
          name: "g",
          family: "g",
          type: "gauge",
          labels: [
            ["a", "x"],
            ["b", "y"],
          ],
          value: 2.5,
          ts: 1700000000000,
        },
      ],
    },
    {
      name: "escapes in label values",
      text: 'm{path="C:\\\\dir",q="say \\"hi\\"",nl="a\\nb"} 1\n',
      want: [
        {
          name: "m",
          family: "m",
          type: "untyped",
          labels: [
            ["path", "C:\\dir"],
            ["q", 'say "hi"'],
            ["nl", "a\nb"],
          ],
          value: 1,
          ts: null,
        },
      ],
    },
    {
      name: "trailing comma, spaces, empty label set",
      text: 'a { x = "1" , } 3\nb{} 4\n',
      want: [
        { name: "a", family: "a", type: "untyped", labels: [["x", "1"]], value: 3, ts: null },
        { name: "b", family: "b", type: "untyped", labels: [], value: 4, ts: null },
      ],
    },
    {
      name: "counter declared without _total (OpenMetrics)",
      text: "# TYPE req counter\nreq_total 7\nreq_created 1.7e9\n",
      want: [
        { name: "req_total", family: "req", type: "counter", labels: [], value: 7, ts: null },
        { name: "req_created", family: "req", type: "counter", labels: [], value: 1.7e9, ts: null },
      ],
    },
    {
      name: "counter declared with _total",
      text: '# TYPE vllm:request_success_total counter\nvllm:request_success_total{finished_reason="stop"} 12\n',
      want: [
        {
          name: "vllm:request_success_total",
          family: "vllm:request_success_total",
          type: "counter",
          labels: [["finished_reason", "stop"]],
          value: 12,
          ts: null,
        },
      ],
    },
    {
      name: "histogram family",
      text: '# TYPE h histogram\nh_bucket{le="0.1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 0.3\nh_count 2\n',
      want: [
        { name: "h_bucket", family: "h", type: "histogram", labels: [["le", "0.1"]], value: 1, ts: null },
        { name: "h_bucket", family: "h", type: "histogram", labels: [["le", "+Inf"]], value: 2, ts: null },
        { name: "h_sum", family: "h", type: "histogram", labels: [], value: 0.3, ts: null },
        { name: "h_count", family: "h", type: "histogram", labels: [], value: 2, ts: null },
      ],
    },
    {
      name: "summary family",
      text: '# TYPE s summary\ns{quantile="0.5"} 0.2\ns_sum 4\ns_count 10\n',
      want: [
        { name: "s", family: "s", type: "summary", labels: [["quantile", "0.5"]], value: 0.2, ts: null },
        { name: "s_sum", family: "s", type: "summary", labels: [], value: 4, ts: null },
        { name: "s_count", family: "s", type: "summary", labels: [], value: 10, ts: null },
      ],
    },
    {
      name: "a gauge whose name ends in _count stays itself",
      text: "# TYPE q_count gauge\nq_count 5\n",
      want: [{ name: "q_count", family: "q_count", type: "gauge", labels: [], value: 5, ts: null }],
    },
    {
      name: "NaN, +Inf, -Inf values; CRLF; indented line",
      text: '# TYPE g gauge\r\ng{k="a"} NaN\r\n  g{k="b"} +Inf\r\ng{k="c"} -Inf\r\n',
      want: [
        { name: "g", family: "g", type: "gauge", labels: [["k", "a"]], value: NaN, ts: null },
        { name: "g", family: "g", type: "gauge", labels: [["k", "b"]], value: Infinity, ts: null },
        { name: "g", family: "g", type: "gauge", labels: [["k", "c"]], value: -Infinity, ts: null },
      ],
    },
    {
      name: "UTF-8 quoted metric name",
      text: '# TYPE "my.metric" gauge\n{"my.metric",zone="a"} 9\n',
      want: [{ name: "my.metric", family: "my.metric", type: "gauge", labels: [["zone", "a"]], value: 9, ts: null }],
    },
    {
      name: "other comments and # EOF ignored",
      text: "# just a note\n# EOF\nx 1\n",
      want: [{ name: "x", family: "x", type: "untyped", labels: [], value: 1, ts: null }],
    },
    {
      name: "unknown/info map to untyped/gauge",
      text: "# TYPE u unknown\nu 1\n# TYPE i info\ni 1\n",
      want: [
        { name: "u", family: "u", type: "untyped", labels: [], value: 1, ts: null },
        { name: "i", family: "i", type: "gauge", labels: [], value: 1, ts: null },
      ],
    },
  ];
  for (const c of cases)
    test(c.name, () => {
      const p = parsePrometheus(c.text);
      expect(p.errors).toEqual([]);
      expect(p.samples.map((s) => ({ name: s.name, family: s.family, type: s.type, labels: s.labels, value: s.value, ts: s.timestampMs }))).toEqual(c.want);
    });
});

describe("parsePrometheus HELP and TYPE", () => {
  test("HELP unescapes \\\\ and \\n, keeps other backslashes", () => {
    const p = parsePrometheus("# HELP m Line one\\nline two \\\\ and \\t\n# TYPE m gauge\nm 1\n");
    expect(p.help.get("m")).toBe("Line one\nline two \\ and \\t");
    expect(p.types.get("m")).toBe("gauge");
  });
});

describe("parsePrometheus malformed lines", () => {
  const bad: [string, string][] = [
    ["no value", 'm{a="1"}\n'],
    ["bad value", "m 12abc\n"],
    ["unquoted label value", "m{a=1} 2\n"],
    ["unterminated labels", 'm{a="1" 2\n'],
    ["unterminated string", 'm{a="1} 2\n'],
    ["bad timestamp", "m 1 soon\n"],
    ["junk after timestamp", "m 1 2 3\n"],
    ["unknown type", "# TYPE m widget\n"],
  ];
  for (const [name, text] of bad)
    test(name, () => {
      const p = parsePrometheus(`ok 1\n${text}ok2 2\n`);
      expect(p.errorCount).toBe(1);
      expect(p.errors[0]!.line).toBe(2);
      expect(p.samples.map((s) => s.name)).toEqual(["ok", "ok2"]);
    });

  test("keeps at most 10 error messages but counts all", () => {
    const p = parsePrometheus("bad\n".repeat(25));
    expect(p.errorCount).toBe(25);
    expect(p.errors.length).toBe(10);
  });
});

test("the mock's own /metrics body parses without errors and round-trips labels", () => {
  const m = newModelMetrics();
  m.running = 3;
  m.ttft.observe(0.05);
  const p = parsePrometheus(renderPrometheus([['we"ird\\name', m]]));
  expect(p.errorCount).toBe(0);
  const running = p.samples.filter((s) => s.name === "vllm:num_requests_running");
  expect(running.length).toBe(1);
  expect(labelValue(running[0]!.labels, "model_name")).toBe('we"ird\\name');
  expect(running[0]!.value).toBe(3);
  const count = p.samples.find((s) => s.name === "vllm:time_to_first_token_seconds_count");
  expect(count?.family).toBe("vllm:time_to_first_token_seconds");
  expect(count?.value).toBe(1);
});
