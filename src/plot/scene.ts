// A chart as a flat list of drawing primitives in pixel coordinates (origin top left). Chart builders
// produce scenes; svg.ts writes one as SVG (report.html), raster.ts draws it into a PNG. Both read
// exactly these shapes, so the page and the PNG show the same picture.

export interface Stroke {
  color: string;
  width: number;
  /** Dash and gap lengths in px; solid when absent. */
  dash?: readonly number[];
  opacity?: number;
}

export type Shape =
  /** An open polyline: flat [x0, y0, x1, y1, ...]. */
  | { kind: "line"; points: readonly number[]; stroke: Stroke; data?: boolean }
  | { kind: "rect"; x: number; y: number; w: number; h: number; fill: string; opacity?: number; title?: string; data?: boolean }
  | { kind: "circle"; cx: number; cy: number; r: number; fill: string; opacity?: number; stroke?: Stroke; title?: string; data?: boolean }
  /** A closed filled polygon: flat points. */
  | { kind: "polygon"; points: readonly number[]; fill: string; opacity?: number; data?: boolean }
  /** `y` is the text's baseline; `rotate` turns it 90 degrees counter-clockwise about (x, y). */
  | {
      kind: "text";
      x: number;
      y: number;
      text: string;
      size: number;
      color: string;
      anchor: "start" | "middle" | "end";
      rotate?: boolean;
      /** A white outline under the glyphs, for labels drawn over data. */
      halo?: boolean;
    };

// `data`: the mark draws a value (not an axis, grid or label); the SVG tags it class="d".

export interface Scene {
  /** File-name-safe id: the PNG is plots/<id>.png. */
  id: string;
  title: string;
  width: number;
  height: number;
  shapes: Shape[];
}

/** Colors for series, in order (Tableau 10: distinguishable, and legible in grey print). */
export const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"] as const;

export const seriesColor = (i: number): string => PALETTE[i % PALETTE.length]!;

export const INK = "#222222";
export const MUTED = "#666666";
export const GRID = "#e4e4e4";
export const ERROR_COLOR = "#d62728";

/** Parses #rrggbb into 0-255 channels. */
export function rgb(color: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) throw new Error(`color must be #rrggbb, got ${color}`);
  return [Number.parseInt(m[1]!, 16), Number.parseInt(m[2]!, 16), Number.parseInt(m[3]!, 16)];
}
