// Scene -> RGB pixels, antialiased, in plain TypeScript: every shape becomes polygons whose exact
// pixel coverage is accumulated per scanline (the signed-area method of font-rs / stb_truetype),
// then blended onto a white canvas. Text is drawn from the embedded font's outlines.
import type { Font } from "./ttf.ts";
import { rgb, type Scene, type Shape, type Stroke } from "./scene.ts";

export interface Raster {
  width: number;
  height: number;
  /** RGB, 3 bytes a pixel, rows top to bottom. */
  pixels: Uint8Array;
}

type Contour = number[]; // closed, flat [x0, y0, ...] in device pixels

/** Coverage (0..1) of the union of `contours` over their bounding box; null when empty. */
function coverage(contours: readonly Contour[]): { x0: number; y0: number; w: number; h: number; cov: Float32Array } | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const c of contours)
    for (let i = 0; i + 1 < c.length; i += 2) {
      minX = Math.min(minX, c[i]!);
      maxX = Math.max(maxX, c[i]!);
      minY = Math.min(minY, c[i + 1]!);
      maxY = Math.max(maxY, c[i + 1]!);
    }
  if (!Number.isFinite(minX) || maxX - minX <= 0 || maxY - minY <= 0) return null;
  const x0 = Math.floor(minX);
  const y0 = Math.floor(minY);
  const w = Math.ceil(maxX) - x0 + 2;
  const h = Math.ceil(maxY) - y0;
  const acc = new Float32Array(w * h + 2);
  for (const c of contours) {
    const n = c.length / 2;
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      edge(acc, w, h, c[2 * i]! - x0, c[2 * i + 1]! - y0, c[2 * j]! - x0, c[2 * j + 1]! - y0);
    }
  }
  const cov = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    let a = 0;
    for (let x = 0; x < w; x++) {
      a += acc[y * w + x]!;
      cov[y * w + x] = Math.min(1, Math.abs(a));
    }
  }
  return { x0, y0, w, h, cov };
}

/** Adds one edge's signed area to the accumulation buffer (coordinates relative to the box). */
function edge(acc: Float32Array, w: number, h: number, ax: number, ay: number, bx: number, by: number): void {
  if (ay === by) return;
  const dir = ay < by ? 1 : -1;
  const [x0p, y0p, x1p, y1p] = ay < by ? [ax, ay, bx, by] : [bx, by, ax, ay];
  const dxdy = (x1p - x0p) / (y1p - y0p);
  let x = x0p;
  const yEnd = Math.min(h, Math.ceil(y1p));
  for (let y = Math.max(0, Math.floor(y0p)); y < yEnd; y++) {
    const line = y * w;
    const dy = Math.min(y + 1, y1p) - Math.max(y, y0p);
    const xnext = x + dxdy * dy;
    const d = dy * dir;
    const lo = Math.min(x, xnext);
    const hi = Math.max(x, xnext);
    const loFloor = Math.floor(lo);
    const loI = loFloor;
    const hiCeil = Math.ceil(hi);
    const hiI = hiCeil;
    if (hiI <= loI + 1) {
      const xmf = 0.5 * (x + xnext) - loFloor;
      acc[line + loI] = acc[line + loI]! + d - d * xmf;
      acc[line + loI + 1] = acc[line + loI + 1]! + d * xmf;
    } else {
      const s = 1 / (hi - lo);
      const lof = lo - loFloor;
      const a0 = 0.5 * s * (1 - lof) * (1 - lof);
      const hif = hi - hiCeil + 1;
      const am = 0.5 * s * hif * hif;
      acc[line + loI] = acc[line + loI]! + d * a0;
      if (hiI === loI + 2) {
        acc[line + loI + 1] = acc[line + loI + 1]! + d * (1 - a0 - am);
      } else {
        const a1 = s * (1.5 - lof);
        acc[line + loI + 1] = acc[line + loI + 1]! + d * (a1 - a0);
        for (let xi = loI + 2; xi < hiI - 1; xi++) acc[line + xi] = acc[line + xi]! + d * s;
        const a2 = a1 + (hiI - loI - 3) * s;
        acc[line + hiI - 1] = acc[line + hiI - 1]! + d * (1 - a2 - am);
      }
      acc[line + hiI] = acc[line + hiI]! + d * am;
    }
    x = xnext;
  }
}

/** Signed area (shoelace); positive = one winding direction. */
function area(c: Contour): number {
  let a = 0;
  const n = c.length / 2;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    a += c[2 * i]! * c[2 * j + 1]! - c[2 * j]! * c[2 * i + 1]!;
  }
  return a / 2;
}

/** The same contour wound positively, so overlapping pieces add up instead of cancelling. */
function positive(c: Contour): Contour {
  if (area(c) >= 0) return c;
  const r: Contour = [];
  for (let i = c.length - 2; i >= 0; i -= 2) r.push(c[i]!, c[i + 1]!);
  return r;
}

export function circleContour(cx: number, cy: number, r: number): Contour {
  const n = Math.max(8, Math.min(64, Math.ceil(r * 4)));
  const c: Contour = [];
  for (let i = 0; i < n; i++) {
    const t = (i / n) * 2 * Math.PI;
    c.push(cx + r * Math.cos(t), cy + r * Math.sin(t));
  }
  return c;
}

/** Splits a polyline into its dashes (lengths alternate on, off). */
export function dashed(points: readonly number[], dash: readonly number[]): number[][] {
  const total = dash.reduce((a, b) => a + b, 0);
  if (dash.length === 0 || total <= 0) return [[...points]];
  const out: number[][] = [];
  let k = 0;
  let left = dash[0]!;
  let on = true;
  let cur: number[] = [points[0]!, points[1]!];
  for (let i = 2; i + 1 < points.length; i += 2) {
    let x = points[i - 2]!;
    let y = points[i - 1]!;
    const ex = points[i]!;
    const ey = points[i + 1]!;
    let seg = Math.hypot(ex - x, ey - y);
    while (seg > left) {
      const t = left / seg;
      x += (ex - x) * t;
      y += (ey - y) * t;
      seg -= left;
      if (on) {
        cur.push(x, y);
        out.push(cur);
      } else cur = [x, y];
      on = !on;
      k = (k + 1) % dash.length;
      left = dash[k]!;
    }
    left -= seg;
    if (on) cur.push(ex, ey);
  }
  if (on && cur.length >= 4) out.push(cur);
  return out;
}

/** A stroked polyline as polygons: one quad per segment and a round cap at every vertex. */
export function strokeContours(points: readonly number[], width: number): Contour[] {
  const hw = width / 2;
  const out: Contour[] = [];
  for (let i = 0; i + 3 < points.length; i += 2) {
    const ax = points[i]!;
    const ay = points[i + 1]!;
    const bx = points[i + 2]!;
    const by = points[i + 3]!;
    const len = Math.hypot(bx - ax, by - ay);
    if (len === 0) continue;
    const nx = (-(by - ay) / len) * hw;
    const ny = ((bx - ax) / len) * hw;
    out.push(positive([ax + nx, ay + ny, bx + nx, by + ny, bx - nx, by - ny, ax - nx, ay - ny]));
  }
  // Round joins and caps, only where they show (wide enough lines).
  if (width >= 1.5) for (let i = 0; i + 1 < points.length; i += 2) out.push(positive(circleContour(points[i]!, points[i + 1]!, hw)));
  return out;
}

function strokeShape(points: readonly number[], s: Stroke, scale: number): Contour[] {
  const scaled = points.map((v) => v * scale);
  const pieces =
    s.dash && s.dash.length > 0
      ? dashed(
          scaled,
          s.dash.map((d) => d * scale),
        )
      : [scaled];
  return pieces.flatMap((p) => strokeContours(p, Math.max(1, s.width * scale)));
}

/** Glyph outlines of `text` placed at (x, y) baseline, in device pixels. */
export function textContours(font: Font, s: Extract<Shape, { kind: "text" }>, scale: number): Contour[] {
  const size = s.size * scale;
  const k = size / font.unitsPerEm;
  const width = font.measure(s.text, size);
  const shift = s.anchor === "middle" ? -width / 2 : s.anchor === "end" ? -width : 0;
  const ox = s.x * scale;
  const oy = s.y * scale;
  const out: Contour[] = [];
  let pen = shift;
  for (const ch of s.text) {
    const g = font.glyph(ch.codePointAt(0)!);
    for (const c of g.contours) {
      const t: Contour = [];
      for (let i = 0; i + 1 < c.length; i += 2) {
        const dx = pen + c[i]! * k;
        const dy = -c[i + 1]! * k;
        // rotate: (dx, dy) turns 90 degrees counter-clockwise on screen -> (dy, -dx).
        if (s.rotate) t.push(ox + dy, oy - dx);
        else t.push(ox + dx, oy + dy);
      }
      out.push(t);
    }
    pen += g.advance * k;
  }
  return out;
}

function blend(r: Raster, contours: readonly Contour[], color: string, alpha: number): void {
  const c = coverage(contours);
  if (!c) return;
  const [cr, cg, cb] = rgb(color);
  for (let y = 0; y < c.h; y++) {
    const py = c.y0 + y;
    if (py < 0 || py >= r.height) continue;
    for (let x = 0; x < c.w; x++) {
      const px = c.x0 + x;
      if (px < 0 || px >= r.width) continue;
      const a = c.cov[y * c.w + x]! * alpha;
      if (a <= 0) continue;
      const i = (py * r.width + px) * 3;
      r.pixels[i] = Math.round(r.pixels[i]! + (cr - r.pixels[i]!) * a);
      r.pixels[i + 1] = Math.round(r.pixels[i + 1]! + (cg - r.pixels[i + 1]!) * a);
      r.pixels[i + 2] = Math.round(r.pixels[i + 2]! + (cb - r.pixels[i + 2]!) * a);
    }
  }
}

/** An axis-aligned rectangle: exact coverage per pixel (overlap in x times overlap in y), no buffers. */
function blendRect(r: Raster, x0: number, y0: number, x1: number, y1: number, color: string, alpha: number): void {
  if (x1 <= x0 || y1 <= y0) return;
  const [cr, cg, cb] = rgb(color);
  const py0 = Math.max(0, Math.floor(y0));
  const py1 = Math.min(r.height, Math.ceil(y1));
  const px0 = Math.max(0, Math.floor(x0));
  const px1 = Math.min(r.width, Math.ceil(x1));
  for (let py = py0; py < py1; py++) {
    const cy = Math.min(py + 1, y1) - Math.max(py, y0);
    for (let px = px0; px < px1; px++) {
      const a = (Math.min(px + 1, x1) - Math.max(px, x0)) * cy * alpha;
      if (a <= 0) continue;
      const i = (py * r.width + px) * 3;
      r.pixels[i] = Math.round(r.pixels[i]! + (cr - r.pixels[i]!) * a);
      r.pixels[i + 1] = Math.round(r.pixels[i + 1]! + (cg - r.pixels[i + 1]!) * a);
      r.pixels[i + 2] = Math.round(r.pixels[i + 2]! + (cb - r.pixels[i + 2]!) * a);
    }
  }
}

/** An opaque stroked polyline, piece by piece: small boxes instead of one the size of the chart. */
function blendStroke(r: Raster, points: readonly number[], s: Stroke, scale: number): void {
  // Consecutive pieces are batched until their box passes 64 x 64 px; overlapping batches of an
  // opaque stroke only meet at their antialiased edges.
  let batch: Contour[] = [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const flush = () => {
    if (batch.length > 0) blend(r, batch, s.color, 1);
    batch = [];
    minX = minY = Infinity;
    maxX = maxY = -Infinity;
  };
  for (const c of strokeShape(points, s, scale)) {
    for (let i = 0; i + 1 < c.length; i += 2) {
      minX = Math.min(minX, c[i]!);
      maxX = Math.max(maxX, c[i]!);
      minY = Math.min(minY, c[i + 1]!);
      maxY = Math.max(maxY, c[i + 1]!);
    }
    batch.push(c);
    if ((maxX - minX) * (maxY - minY) > 4096) flush();
  }
  flush();
}

/** Draws the scene at `scale` device pixels per scene unit (2 = sharp on slides and HiDPI screens). */
export function rasterize(scene: Scene, font: Font, scale = 2): Raster {
  const width = Math.round(scene.width * scale);
  const height = Math.round(scene.height * scale);
  const r: Raster = { width, height, pixels: new Uint8Array(width * height * 3).fill(255) };
  for (const s of scene.shapes) {
    switch (s.kind) {
      case "line":
        // A translucent stroke needs one coverage (pieces would darken where they overlap).
        if ((s.stroke.opacity ?? 1) < 1) blend(r, strokeShape(s.points, s.stroke, scale), s.stroke.color, s.stroke.opacity ?? 1);
        else blendStroke(r, s.points, s.stroke, scale);
        break;
      case "rect":
        blendRect(r, s.x * scale, s.y * scale, (s.x + s.w) * scale, (s.y + s.h) * scale, s.fill, s.opacity ?? 1);
        break;
      case "circle":
        blend(r, [circleContour(s.cx * scale, s.cy * scale, s.r * scale)], s.fill, s.opacity ?? 1);
        if (s.stroke) {
          const ring = circleContour(s.cx * scale, s.cy * scale, s.r * scale);
          blend(
            r,
            strokeShape(
              [...ring, ring[0]!, ring[1]!].map((v) => v / scale),
              s.stroke,
              scale,
            ),
            s.stroke.color,
            s.stroke.opacity ?? 1,
          );
        }
        break;
      case "polygon":
        blend(r, [s.points.map((v) => v * scale)], s.fill, s.opacity ?? 1);
        break;
      case "text": {
        const glyphs = textContours(font, s, scale);
        if (s.halo && !s.rotate) {
          // A soft white box under the label (the SVG draws a white outline): legible over data.
          const w = font.measure(s.text, s.size * scale);
          const x0 = s.x * scale - (s.anchor === "middle" ? w / 2 : s.anchor === "end" ? w : 0);
          blendRect(r, x0 - scale, (s.y - s.size * 0.85) * scale, x0 + w + scale, (s.y + s.size * 0.25) * scale, "#ffffff", 0.8);
        }
        blend(r, glyphs, s.color, 1);
        break;
      }
    }
  }
  return r;
}
