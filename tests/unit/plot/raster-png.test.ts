import { describe, expect, test } from "bun:test";
import { chartFont } from "../../../src/plot/font.ts";
import { crc32, encodePng } from "../../../src/plot/png.ts";
import { dashed, rasterize } from "../../../src/plot/raster.ts";
import type { Scene } from "../../../src/plot/scene.ts";
import { decodePng, pixelStats } from "../../helpers/png-decode.ts";

const scene = (shapes: Scene["shapes"], width = 20, height = 10): Scene => ({ id: "t", title: "t", width, height, shapes });
const px = (r: { width: number; pixels: Uint8Array }, x: number, y: number) => [...r.pixels.subarray((y * r.width + x) * 3, (y * r.width + x) * 3 + 3)];

describe("rasterize", () => {
  test("a rect on whole pixels: inside is its color, outside stays white", () => {
    const r = rasterize(scene([{ kind: "rect", x: 2, y: 2, w: 4, h: 3, fill: "#ff0000" }]), chartFont(), 1);
    expect([r.width, r.height]).toEqual([20, 10]);
    expect(px(r, 3, 3)).toEqual([255, 0, 0]);
    expect(px(r, 1, 1)).toEqual([255, 255, 255]);
    expect(px(r, 6, 3)).toEqual([255, 255, 255]);
  });

  test("an edge through the middle of a pixel covers half of it (antialiasing)", () => {
    const r = rasterize(scene([{ kind: "rect", x: 2.5, y: 2, w: 4, h: 3, fill: "#000000" }]), chartFont(), 1);
    expect(px(r, 2, 3)).toEqual([128, 128, 128]);
    expect(px(r, 4, 3)).toEqual([0, 0, 0]);
  });

  test("opacity blends with the background", () => {
    const r = rasterize(scene([{ kind: "rect", x: 0, y: 0, w: 20, h: 10, fill: "#000000", opacity: 0.25 }]), chartFont(), 1);
    expect(px(r, 5, 5)).toEqual([191, 191, 191]);
  });

  test("scale 2 doubles the pixels", () => {
    const r = rasterize(scene([{ kind: "circle", cx: 10, cy: 5, r: 3, fill: "#0000ff" }]), chartFont(), 2);
    expect([r.width, r.height]).toEqual([40, 20]);
    expect(px(r, 20, 10)).toEqual([0, 0, 255]);
  });

  test("text draws ink in its color; an unknown character still draws (as ?)", () => {
    for (const text of ["Hg 12", "\u4e00"]) {
      const r = rasterize(scene([{ kind: "text", x: 2, y: 14, text, size: 14, color: "#000000", anchor: "start" }], 60, 20), chartFont(), 1);
      let dark = 0;
      for (let i = 0; i < r.pixels.length; i += 3) if (r.pixels[i]! < 128) dark++;
      expect([text, dark > 8]).toEqual([text, true]);
    }
  });

  test("a polyline stroke crossing back over itself still shows (windings add, not cancel)", () => {
    const r = rasterize(scene([{ kind: "line", points: [2, 5, 18, 5, 2, 5], stroke: { color: "#000000", width: 2 } }]), chartFont(), 1);
    expect(px(r, 10, 5)[0]).toBeLessThan(20);
  });
});

describe("dashed", () => {
  test.each([
    [
      "two dashes on a 10 px line",
      [0, 0, 10, 0],
      [3, 2],
      [
        [0, 0, 3, 0],
        [5, 0, 8, 0],
      ],
    ],
    ["a dash across a corner", [0, 0, 2, 0, 2, 2], [3, 10], [[0, 0, 2, 0, 2, 1]]],
    ["no pattern: the line itself", [0, 0, 4, 0], [], [[0, 0, 4, 0]]],
  ])("%s", (_, points, dash, out) => expect(dashed(points, dash)).toEqual(out));
});

describe("encodePng", () => {
  test("crc32 of the check string", () => expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926));

  test("round trip: decoded pixels equal the raster", () => {
    const r = rasterize(
      scene([
        { kind: "rect", x: 0, y: 0, w: 7, h: 10, fill: "#4e79a7" },
        { kind: "circle", cx: 14, cy: 5, r: 4, fill: "#e15759", opacity: 0.6 },
      ]),
      chartFont(),
      1,
    );
    const png = decodePng(encodePng(r));
    expect([png.width, png.height, png.channels]).toEqual([20, 10, 3]);
    expect(png.pixels).toEqual(r.pixels);
    expect(pixelStats(png).inkShare).toBeGreaterThan(0.3);
  });
});

describe("font", () => {
  const font = chartFont();
  test("metrics from the embedded DejaVu Sans subset", () => {
    expect(font.unitsPerEm).toBe(2048);
    expect(font.ascender).toBeGreaterThan(0);
    expect(font.descender).toBeLessThan(0);
  });
  test.each([
    ["A", 1, 2],
    ["o", 2, 2],
    ["B", 3, 3],
    ["%", 3, 6],
  ])("glyph %p has between %p and %p contours", (ch, lo, hi) => {
    const n = font.glyph(ch.codePointAt(0)!).contours.length;
    expect(n).toBeGreaterThanOrEqual(lo);
    expect(n).toBeLessThanOrEqual(hi);
  });
  test("space has an advance and no outline; widths scale with size", () => {
    expect(font.glyph(32).contours).toEqual([]);
    expect(font.glyph(32).advance).toBeGreaterThan(0);
    expect(font.measure("ms", 22)).toBeCloseTo(2 * font.measure("ms", 11), 9);
  });
  test("a missing character is measured as ?", () => expect(font.measure("\u4e00", 10)).toBe(font.measure("?", 10)));
});
