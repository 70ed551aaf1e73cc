// A minimal TrueType reader: character -> glyph outline (contours of points, quadratic curves
// flattened to line segments) and advance width. Enough to draw chart text into a PNG with the
// embedded font, without a browser or a native library. Reads cmap format 4, loca, glyf (simple and
// composite glyphs), hmtx; ignores hinting and kerning.

export interface Glyph {
  /** Advance width in font units. */
  advance: number;
  /** Closed contours as flat [x0, y0, x1, y1, ...] in font units, y up. */
  contours: number[][];
}

export interface Font {
  unitsPerEm: number;
  ascender: number;
  descender: number;
  glyph(codePoint: number): Glyph;
  /** Width of `text` at `sizePx` (pixels per em). */
  measure(text: string, sizePx: number): number;
}

interface Tables {
  [tag: string]: { offset: number; length: number } | undefined;
}

function readTables(v: DataView): Tables {
  const n = v.getUint16(4);
  const tables: Tables = {};
  for (let i = 0; i < n; i++) {
    const at = 12 + i * 16;
    const tag = String.fromCharCode(v.getUint8(at), v.getUint8(at + 1), v.getUint8(at + 2), v.getUint8(at + 3));
    tables[tag] = { offset: v.getUint32(at + 8), length: v.getUint32(at + 12) };
  }
  return tables;
}

function need(tables: Tables, tag: string): number {
  const t = tables[tag];
  if (!t) throw new Error(`font has no ${tag} table`);
  return t.offset;
}

/** cmap format 4 (BMP) -> glyph index lookup. */
function readCmap(v: DataView, cmap: number): (cp: number) => number {
  const n = v.getUint16(cmap + 2);
  for (let i = 0; i < n; i++) {
    const platform = v.getUint16(cmap + 4 + i * 8);
    const encoding = v.getUint16(cmap + 6 + i * 8);
    const sub = cmap + v.getUint32(cmap + 8 + i * 8);
    if (v.getUint16(sub) !== 4 || !((platform === 3 && encoding === 1) || platform === 0)) continue;
    const segX2 = v.getUint16(sub + 6);
    const ends = sub + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const ranges = deltas + segX2;
    return (cp) => {
      if (cp > 0xffff) return 0;
      for (let s = 0; s < segX2; s += 2) {
        if (cp > v.getUint16(ends + s)) continue;
        const start = v.getUint16(starts + s);
        if (cp < start) return 0;
        const delta = v.getInt16(deltas + s);
        const range = v.getUint16(ranges + s);
        if (range === 0) return (cp + delta) & 0xffff;
        const g = v.getUint16(ranges + s + range + (cp - start) * 2);
        return g === 0 ? 0 : (g + delta) & 0xffff;
      }
      return 0;
    };
  }
  throw new Error("font has no Unicode BMP cmap (format 4)");
}

/** Points of one quadratic contour (on/off-curve flags) flattened to a polyline. */
function flattenContour(xs: number[], ys: number[], on: boolean[]): number[] {
  const n = xs.length;
  if (n === 0) return [];
  // Start at an on-curve point; if none, at the midpoint of the first two off-curve points.
  let first = on.indexOf(true);
  let sx: number;
  let sy: number;
  if (first < 0) {
    sx = (xs[0]! + xs[1 % n]!) / 2;
    sy = (ys[0]! + ys[1 % n]!) / 2;
    first = 0;
  } else {
    sx = xs[first]!;
    sy = ys[first]!;
  }
  const out = [sx, sy];
  let cx: number | null = null;
  let cy = 0;
  let px = sx;
  let py = sy;
  const curveTo = (qx: number, qy: number, ex: number, ey: number): void => {
    const steps = 6;
    for (let k = 1; k <= steps; k++) {
      const t = k / steps;
      const a = (1 - t) * (1 - t);
      const b = 2 * (1 - t) * t;
      const c = t * t;
      out.push(a * px + b * qx + c * ex, a * py + b * qy + c * ey);
    }
  };
  for (let k = 1; k <= n; k++) {
    const i = (first + k) % n;
    const x = xs[i]!;
    const y = ys[i]!;
    if (on[i]) {
      if (cx === null) out.push(x, y);
      else curveTo(cx, cy, x, y);
      cx = null;
      px = x;
      py = y;
    } else if (cx === null) {
      cx = x;
      cy = y;
    } else {
      const mx = (cx + x) / 2;
      const my = (cy + y) / 2;
      curveTo(cx, cy, mx, my);
      px = mx;
      py = my;
      cx = x;
      cy = y;
    }
  }
  if (cx !== null) curveTo(cx, cy, sx, sy);
  return out;
}

function readSimpleGlyph(v: DataView, at: number, contourCount: number): number[][] {
  const endPts: number[] = [];
  for (let i = 0; i < contourCount; i++) endPts.push(v.getUint16(at + 10 + i * 2));
  const nPoints = (endPts.at(-1) ?? -1) + 1;
  let p = at + 10 + contourCount * 2;
  p += 2 + v.getUint16(p); // instructions
  const flags: number[] = [];
  while (flags.length < nPoints) {
    const f = v.getUint8(p++);
    flags.push(f);
    if (f & 8) {
      const repeat = v.getUint8(p++);
      for (let r = 0; r < repeat; r++) flags.push(f);
    }
  }
  const readCoords = (shortBit: number, sameBit: number): number[] => {
    const out: number[] = [];
    let c = 0;
    for (const f of flags) {
      if (f & shortBit) {
        const d = v.getUint8(p++);
        c += f & sameBit ? d : -d;
      } else if (!(f & sameBit)) {
        c += v.getInt16(p);
        p += 2;
      }
      out.push(c);
    }
    return out;
  };
  const xs = readCoords(2, 16);
  const ys = readCoords(4, 32);
  const contours: number[][] = [];
  let start = 0;
  for (const end of endPts) {
    const on = flags.slice(start, end + 1).map((f) => (f & 1) === 1);
    contours.push(flattenContour(xs.slice(start, end + 1), ys.slice(start, end + 1), on));
    start = end + 1;
  }
  return contours;
}

export function parseFont(bytes: Uint8Array): Font {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = readTables(v);
  const head = need(tables, "head");
  const unitsPerEm = v.getUint16(head + 18);
  const longLoca = v.getInt16(head + 50) === 1;
  const numGlyphs = v.getUint16(need(tables, "maxp") + 4);
  const hhea = need(tables, "hhea");
  const ascender = v.getInt16(hhea + 4);
  const descender = v.getInt16(hhea + 6);
  const numHMetrics = v.getUint16(hhea + 34);
  const hmtx = need(tables, "hmtx");
  const loca = need(tables, "loca");
  const glyf = need(tables, "glyf");
  const toGlyph = readCmap(v, need(tables, "cmap"));

  const advanceOf = (g: number): number => v.getUint16(hmtx + 4 * Math.min(g, numHMetrics - 1));
  const glyphStart = (g: number): number => (longLoca ? v.getUint32(loca + g * 4) : v.getUint16(loca + g * 2) * 2);

  const outline = (g: number, depth: number): number[][] => {
    if (g >= numGlyphs || depth > 4) return [];
    const start = glyphStart(g);
    if (glyphStart(g + 1) === start) return []; // empty (space)
    const at = glyf + start;
    const contourCount = v.getInt16(at);
    if (contourCount >= 0) return readSimpleGlyph(v, at, contourCount);
    // Composite: parts with an offset (and maybe a scale), flags per component.
    const out: number[][] = [];
    let p = at + 10;
    for (;;) {
      const flags = v.getUint16(p);
      const part = v.getUint16(p + 2);
      p += 4;
      let dx: number;
      let dy: number;
      if (flags & 1) {
        dx = v.getInt16(p);
        dy = v.getInt16(p + 2);
        p += 4;
      } else {
        dx = v.getInt8(p);
        dy = v.getInt8(p + 1);
        p += 2;
      }
      let a = 1;
      let b = 0;
      let c = 0;
      let d = 1;
      if (flags & 8) {
        a = d = v.getInt16(p) / 16384;
        p += 2;
      } else if (flags & 0x40) {
        a = v.getInt16(p) / 16384;
        d = v.getInt16(p + 2) / 16384;
        p += 4;
      } else if (flags & 0x80) {
        a = v.getInt16(p) / 16384;
        b = v.getInt16(p + 2) / 16384;
        c = v.getInt16(p + 4) / 16384;
        d = v.getInt16(p + 6) / 16384;
        p += 8;
      }
      for (const contour of outline(part, depth + 1)) {
        const t: number[] = [];
        for (let i = 0; i < contour.length; i += 2) {
          const x = contour[i]!;
          const y = contour[i + 1]!;
          t.push(a * x + c * y + dx, b * x + d * y + dy);
        }
        out.push(t);
      }
      if (!(flags & 0x20)) break;
    }
    return out;
  };

  const cache = new Map<number, Glyph>();
  const glyph = (cp: number): Glyph => {
    let hit = cache.get(cp);
    if (!hit) {
      // A character the font lacks is drawn as "?" (never as nothing: the text stays readable).
      let g = toGlyph(cp);
      if (g === 0 && cp !== 0x3f) g = toGlyph(0x3f);
      hit = { advance: advanceOf(g), contours: outline(g, 0) };
      cache.set(cp, hit);
    }
    return hit;
  };
  const measure = (text: string, sizePx: number): number => {
    let w = 0;
    for (const ch of text) w += glyph(ch.codePointAt(0)!).advance;
    return (w * sizePx) / unitsPerEm;
  };
  return { unitsPerEm, ascender, descender, glyph, measure };
}
