import { describe, expect, test } from "bun:test";
import type { Scene } from "../../../src/plot/scene.ts";
import { escapeXml, sceneSvg } from "../../../src/plot/svg.ts";

describe("escapeXml", () => {
  test.each([
    ["plain", "plain"],
    ["<script>x</script>", "&#60;script&#62;x&#60;/script&#62;"],
    [`a "b" & 'c'`, "a &#34;b&#34; &#38; &#39;c&#39;"],
    ["bell\u0007", "bell\ufffd"],
    ["tab\tnewline\n", "tab\tnewline\n"],
  ])("%j", (raw, escaped) => expect(escapeXml(raw)).toBe(escaped));
});

const scene = (shapes: Scene["shapes"]): Scene => ({ id: "c<1>", title: 'T "x"', width: 100, height: 50, shapes });

describe("sceneSvg", () => {
  test.each([
    [
      { kind: "line", points: [0, 0, 10.123, 5], stroke: { color: "#ff0000", width: 2 }, data: true } as const,
      '<polyline class="d" points="0,0 10.12,5" fill="none" stroke="#ff0000" stroke-width="2"',
    ],
    [{ kind: "line", points: [0, 0, 1, 1], stroke: { color: "#000000", width: 1, dash: [4, 2] } } as const, 'stroke-dasharray="4 2"'],
    [
      { kind: "rect", x: 1, y: 2, w: 3, h: 4, fill: "#00ff00", opacity: 0.5, title: "<b>" } as const,
      '<rect x="1" y="2" width="3" height="4" fill="#00ff00" fill-opacity="0.5"><title>&#60;b&#62;</title></rect>',
    ],
    [{ kind: "circle", cx: 5, cy: 6, r: 2, fill: "#0000ff", data: true } as const, '<circle cx="5" cy="6" r="2" fill="#0000ff" class="d"/>'],
    [{ kind: "polygon", points: [0, 0, 1, 0, 1, 1], fill: "#123456" } as const, '<polygon points="0,0 1,0 1,1" fill="#123456"/>'],
    [
      { kind: "text", x: 10, y: 20, text: "<img onerror=x>", size: 11, color: "#222222", anchor: "end", rotate: true, halo: true } as const,
      '<text x="10" y="20" font-size="11" fill="#222222" text-anchor="end" transform="rotate(-90 10 20)" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">&#60;img onerror=x&#62;</text>',
    ],
  ])("%j", (shape, expected) => expect(sceneSvg(scene([shape]))).toContain(expected));

  test("the svg scales (viewBox), names its chart and escapes id and title", () => {
    const svg = sceneSvg(scene([]));
    expect(svg).toStartWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50" role="img" data-chart="c&#60;1&#62;"');
    expect(svg).toContain("<title>T &#34;x&#34;</title>");
    expect(svg).not.toContain("<1>");
  });
});
