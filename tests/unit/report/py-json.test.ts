import { describe, expect, test } from "bun:test";
import { dumpPyJson, formatPyFloat, formatPyInt, pyFloat } from "../../../src/report/py-json.ts";

// [value, pydantic model_dump_json, orjson.dumps] as printed by pydantic 2.13 / orjson 3.8.
const FLOATS: [number, string, string][] = [
  [200, "200.0", "200.0"],
  [550, "550.0", "550.0"],
  [0, "0.0", "0.0"],
  [-0, "-0.0", "-0.0"],
  [255.88656799999998, "255.88656799999998", "255.88656799999998"],
  [1e-7, "1e-7", "1e-7"],
  [1e-5, "0.00001", "0.00001"],
  [9.99e-6, "9.99e-6", "9.99e-6"],
  [0.0001234, "0.0001234", "0.0001234"],
  [1e15, "1000000000000000.0", "1000000000000000.0"],
  [1e16, "1e+16", "1e16"],
  [9999999999999998, "9999999999999998.0", "9999999999999998.0"],
  [1.5e300, "1.5e+300", "1.5e300"],
  [-2.5e16, "-2.5e+16", "-2.5e16"],
  [5e-324, "5e-324", "5e-324"],
  [1e21, "1e+21", "1e21"],
  [Infinity, "null", "null"],
  [NaN, "null", "null"],
];

describe("Python float text", () => {
  for (const [v, pydantic, orjson] of FLOATS) {
    test(`${v}: pydantic ${pydantic}, orjson ${orjson}`, () => {
      expect(formatPyFloat(v, "pydantic")).toBe(pydantic);
      expect(formatPyFloat(v, "orjson")).toBe(orjson);
    });
  }
  test("ints keep every digit of the exact value (no exponent, no JS shortest-digits padding)", () => {
    expect(formatPyInt(550)).toBe("550");
    expect(formatPyInt(1_760_000_000_123_456_768)).toBe("1760000000123456768");
    expect(String(1_760_000_000_123_456_768)).toBe("1760000000123456800");
    expect(formatPyInt(1e21)).toBe("1000000000000000000000");
  });
});

describe("dumpPyJson", () => {
  test("compact (orjson default): no spaces; plain integral numbers are ints, pyFloat() forces floats", () => {
    expect(dumpPyJson({ a: 550, b: pyFloat(550), c: [pyFloat(4.5), 1], d: null, e: undefined, f: true }, { style: "orjson" })).toBe(
      `{"a":550,"b":550.0,"c":[4.5,1],"d":null,"f":true}`,
    );
  });
  test("non-integral plain numbers are floats", () => {
    expect(dumpPyJson([0.5, 1e-7, 2], { style: "orjson" })).toBe("[0.5,1e-7,2]");
  });
  test("indent 2 like orjson OPT_INDENT_2 / pydantic indent=2 (empty containers inline, raw UTF-8)", () => {
    const v = { a: { b: [1, pyFloat(2), []], c: {}, d: null, e: 'é\n"x"' } };
    expect(dumpPyJson(v, { style: "orjson", indent: 2 })).toBe(
      [
        "{",
        '  "a": {',
        '    "b": [',
        "      1,",
        "      2.0,",
        "      []",
        "    ],",
        '    "c": {},',
        '    "d": null,',
        '    "e": "é\\n\\"x\\""',
        "  }",
        "}",
      ].join("\n"),
    );
  });
  test("pydantic vs orjson exponent style inside documents", () => {
    expect(dumpPyJson({ v: pyFloat(1e16) }, { style: "pydantic" })).toBe(`{"v":1e+16}`);
    expect(dumpPyJson({ v: pyFloat(1e16) }, { style: "orjson" })).toBe(`{"v":1e16}`);
  });
});

describe("formatPyFloat's plain-notation fast path agrees with the digit-by-digit rule", () => {
  // The rule before the fast path: shortest digits, exponent notation outside decimal exponents -5..15.
  const reference = (v: number, style: "orjson" | "pydantic"): string => {
    if (!Number.isFinite(v)) return "null";
    if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
    const sign = v < 0 ? "-" : "";
    const [mantissa, expText] = Math.abs(v).toExponential().split("e") as [string, string];
    const digits = mantissa.replace(".", "");
    const exp = Number(expText);
    if (exp < -5 || exp >= 16) {
      const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
      return `${sign}${m}e${exp < 0 ? `-${-exp}` : style === "pydantic" ? `+${exp}` : `${exp}`}`;
    }
    if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
    return `${sign}${digits.slice(0, exp + 1).padEnd(exp + 1, "0")}.${digits.slice(exp + 1) || "0"}`;
  };
  const edges = [
    1e-5,
    9.999999999999999e-6,
    1.0000000000000002e-5,
    1e16,
    9999999999999998,
    1e15 + 0.5,
    123456789012345.6,
    0.1,
    0.30000000000000004,
    1,
    2 ** 53,
    5e-324,
  ];
  let seed = 12345;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const random = Array.from({ length: 20_000 }, () => (rnd() < 0.5 ? -1 : 1) * rnd() * 10 ** Math.floor(rnd() * 30 - 10));
  const values = [...edges, ...edges.map((x) => -x), ...random];

  test.each(["orjson", "pydantic"] as const)("%s: 20,000 random magnitudes and the boundaries", (style) => {
    expect(values.length).toBe(20_000 + 2 * edges.length);
    const mismatches = values.filter((v) => formatPyFloat(v, style) !== reference(v, style));
    expect(mismatches).toEqual([]);
  });
});
