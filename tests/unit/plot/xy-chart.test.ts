import { describe, expect, test } from "bun:test";
import type { Shape } from "../../../src/plot/scene.ts";
import { type XYSpec, xyChart } from "../../../src/plot/xy-chart.ts";

const base: XYSpec = { id: "t", title: "Title", x: { label: "x" }, y: { label: "y", zero: true }, series: [] };
const data = (shapes: Shape[]) => shapes.filter((s) => s.kind !== "text" && s.data);
const texts = (shapes: Shape[]) => shapes.flatMap((s) => (s.kind === "text" ? [s.text] : []));

describe("xyChart", () => {
  test.each([
    ["bars: one rect a bin", { type: "bars", name: "n", lo: [0, 1, 2], hi: [1, 2, 3], ys: [5, 0, 2] } as const, { rect: 3 }],
    ["line: one polyline", { type: "line", name: "l", xs: [0, 1, 2], ys: [1, 2, 3] } as const, { line: 1 }],
    ["line with markers", { type: "line", name: "l", xs: [0, 1, 2], ys: [1, 2, 3], markers: true } as const, { line: 1, circle: 3 }],
    ["a null breaks the line", { type: "line", name: "l", xs: [0, 1, 2, 3, 4], ys: [1, 2, null, 3, 4] } as const, { line: 2 }],
    ["a lone point between nulls draws no line", { type: "line", name: "l", xs: [0, 1, 2], ys: [null, 2, null] } as const, {}],
    ["points", { type: "points", name: "p", xs: [0, 1], ys: [1, 2] } as const, { circle: 2 }],
    ["error bars: bar and two caps", { type: "errorbars", name: "e", xs: [0], lo: [1], hi: [2] } as const, { line: 1 }],
  ])("%s", (_, series, kinds) => {
    const shapes = data(xyChart({ ...base, series: [series] }).shapes);
    const count: Record<string, number> = {};
    for (const s of shapes) count[s.kind] = (count[s.kind] ?? 0) + 1;
    expect(count).toEqual(kinds);
  });

  test("a stepped line holds each value until the next x", () => {
    const [line] = data(xyChart({ ...base, series: [{ type: "line", name: "s", xs: [0, 1, 2], ys: [1, 3, 2], step: true }] }).shapes);
    expect(line?.kind).toBe("line");
    // 3 points + 2 corners = 5 vertices; each corner repeats the previous y.
    const pts = line?.kind === "line" ? line.points : [];
    expect(pts.length).toBe(10);
    expect(pts[3]).toBe(pts[1]);
    expect(pts[7]).toBe(pts[5]);
    expect(pts[2]).toBe(pts[4]);
  });

  test("no data: says so", () => expect(texts(xyChart(base).shapes)).toContain("no data"));

  test("reference lines: drawn and labelled; the domain widens to include them", () => {
    const scene = xyChart({
      ...base,
      series: [{ type: "line", name: "l", xs: [0, 10], ys: [0, 10] }],
      refs: [
        { axis: "x", value: 50, label: "p99 50 ms" },
        { axis: "y", value: 20, label: "SLO <= 20" },
      ],
    });
    expect(texts(scene.shapes)).toContain("p99 50 ms");
    expect(texts(scene.shapes)).toContain("SLO <= 20");
    expect(texts(scene.shapes)).toContain("50"); // x tick up to the ref
  });

  test("categorical x: one label per category", () => {
    const scene = xyChart({ ...base, x: { label: "run", categories: ["a", "b", "c"] }, series: [{ type: "line", name: "l", xs: [0, 1, 2], ys: [1, 2, 3] }] });
    for (const c of ["a", "b", "c"]) expect(texts(scene.shapes)).toContain(c);
  });

  test("legend only with two or more named series", () => {
    const one = xyChart({ ...base, series: [{ type: "line", name: "alpha", xs: [0, 1], ys: [0, 1] }] });
    expect(texts(one.shapes)).not.toContain("alpha");
    const two = xyChart({
      ...base,
      series: [
        { type: "line", name: "alpha", xs: [0, 1], ys: [0, 1] },
        { type: "line", name: "beta", xs: [0, 1], ys: [1, 0] },
        { type: "errorbars", name: "hidden", noLegend: true, xs: [0], lo: [0], hi: [1] },
      ],
    });
    expect(texts(two.shapes)).toEqual(expect.arrayContaining(["alpha", "beta"]));
    expect(texts(two.shapes)).not.toContain("hidden");
  });

  test("labels of neighbouring points do not overlap", () => {
    const scene = xyChart({ ...base, series: [{ type: "points", name: "p", xs: [10, 10.2, 50], ys: [5, 5.1, 1], labels: ["c=8", "c=32", "c=2"] }] });
    const labels = scene.shapes.flatMap((s) => (s.kind === "text" && s.text.startsWith("c=") ? [s] : []));
    expect(labels.map((l) => l.text)).toEqual(["c=8", "c=32", "c=2"]);
    const [a, b] = labels;
    // Placed at different corners: different baselines or opposite sides.
    expect(a!.y !== b!.y || a!.anchor !== b!.anchor).toBe(true);
  });

  test("every shape lies inside the chart", () => {
    const scene = xyChart({ ...base, note: "n", series: [{ type: "points", name: "p", xs: [-5, 1e6], ys: [0, 3e9] }] });
    const xs: number[] = [];
    for (const s of scene.shapes) {
      if (s.kind === "line" || s.kind === "polygon") for (let i = 0; i < s.points.length; i += 2) xs.push(s.points[i]!);
      else if (s.kind === "circle") xs.push(s.cx);
      else if (s.kind === "rect" || s.kind === "text") xs.push(s.x);
    }
    expect(xs.length).toBeGreaterThan(10);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(scene.width);
  });
});
