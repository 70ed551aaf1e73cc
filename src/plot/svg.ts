// Scene -> SVG text. Every string that came from a run (titles, labels, tooltips) is escaped: the
// page must never run or render markup a server sent.
import { FONT_FAMILY } from "./font.ts";
import type { Scene, Shape, Stroke } from "./scene.ts";

/** Escapes text for HTML and XML content and attribute values. */
export function escapeXml(s: string): string {
  // Control characters are not allowed in XML 1.0 (the rule is off tree-wide for such regexes).
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "\ufffd");
}

/** Numbers with at most 2 decimals: a 720 px chart needs no more, and the file stays small. */
const n = (x: number): string => String(Math.round(x * 100) / 100);

const pts = (p: readonly number[]): string => {
  const out: string[] = [];
  for (let i = 0; i + 1 < p.length; i += 2) out.push(`${n(p[i]!)},${n(p[i + 1]!)}`);
  return out.join(" ");
};

function strokeAttrs(s: Stroke): string {
  const dash = s.dash && s.dash.length > 0 ? ` stroke-dasharray="${s.dash.map(n).join(" ")}"` : "";
  const op = s.opacity !== undefined && s.opacity < 1 ? ` stroke-opacity="${n(s.opacity)}"` : "";
  return `stroke="${s.color}" stroke-width="${n(s.width)}"${dash}${op}`;
}

const opacity = (o: number | undefined): string => (o !== undefined && o < 1 ? ` fill-opacity="${n(o)}"` : "");
const titled = (body: string, tag: string, title: string | undefined): string =>
  title === undefined ? `<${tag} ${body}/>` : `<${tag} ${body}><title>${escapeXml(title)}</title></${tag}>`;

function shapeSvg(s: Shape): string {
  const d = s.kind !== "text" && s.data ? ' class="d"' : "";
  switch (s.kind) {
    case "line":
      return `<polyline${d} points="${pts(s.points)}" fill="none" ${strokeAttrs(s.stroke)} stroke-linejoin="round" stroke-linecap="round"/>`;
    case "rect":
      return titled(`x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" fill="${s.fill}"${opacity(s.opacity)}${d}`, "rect", s.title);
    case "circle": {
      const stroke = s.stroke ? ` ${strokeAttrs(s.stroke)}` : "";
      return titled(`cx="${n(s.cx)}" cy="${n(s.cy)}" r="${n(s.r)}" fill="${s.fill}"${opacity(s.opacity)}${stroke}${d}`, "circle", s.title);
    }
    case "polygon":
      return `<polygon${d} points="${pts(s.points)}" fill="${s.fill}"${opacity(s.opacity)}/>`;
    case "text": {
      const anchor = s.anchor === "start" ? "" : ` text-anchor="${s.anchor}"`;
      const rot = s.rotate ? ` transform="rotate(-90 ${n(s.x)} ${n(s.y)})"` : "";
      const halo = s.halo ? ` stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"` : "";
      return `<text x="${n(s.x)}" y="${n(s.y)}" font-size="${n(s.size)}" fill="${s.color}"${anchor}${rot}${halo}>${escapeXml(s.text)}</text>`;
    }
  }
}

/** The scene as an inline <svg> that scales to its container's width. */
export function sceneSvg(scene: Scene): string {
  const body = scene.shapes.map(shapeSvg).join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${scene.width} ${scene.height}" role="img" data-chart="${escapeXml(scene.id)}"` +
    ` font-family="${escapeXml(FONT_FAMILY)}"><title>${escapeXml(scene.title)}</title>` +
    `<rect width="${scene.width}" height="${scene.height}" fill="#ffffff"/>${body}</svg>`
  );
}
