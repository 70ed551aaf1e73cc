// The one x/y chart builder behind every plot: lines (optionally stepped, with markers and point
// labels), scatter points, histogram bars, error bars, and labelled reference lines (percentiles,
// SLOs), on linear axes or a categorical x axis. Pure: data in, Scene out.
import { niceTicks, tickLabel, type Ticks } from "./axes.ts";
import { chartFont } from "./font.ts";
import { GRID, INK, MUTED, seriesColor, type Scene, type Shape } from "./scene.ts";

export interface Axis {
  label: string;
  /** Domain bounds; from the data when absent. */
  min?: number;
  max?: number;
  /** Start the domain at 0 (counts, throughputs). */
  zero?: boolean;
  /** Categorical axis (x only): value i sits at category i. */
  categories?: readonly string[];
}

interface SeriesBase {
  name: string;
  color?: string;
  /** Left out of the legend. */
  noLegend?: boolean;
}

export type Series =
  | (SeriesBase & {
      type: "line";
      xs: readonly number[];
      ys: readonly (number | null)[];
      dash?: readonly number[];
      width?: number;
      /** Hold each value until the next x (in-flight counts). */
      step?: boolean;
      markers?: boolean;
      /** Text beside each point (e.g. its load). */
      labels?: readonly string[];
      /** Tooltip per point (with markers). */
      titles?: readonly string[];
    })
  | (SeriesBase & {
      type: "points";
      xs: readonly number[];
      ys: readonly number[];
      r?: number;
      opacity?: number;
      labels?: readonly string[];
      titles?: readonly string[];
    })
  /** Histogram: bar i spans [lo[i], hi[i]) with height ys[i]. */
  | (SeriesBase & { type: "bars"; lo: readonly number[]; hi: readonly number[]; ys: readonly number[]; titles?: readonly string[] })
  | (SeriesBase & { type: "errorbars"; xs: readonly number[]; lo: readonly number[]; hi: readonly number[] });

export interface RefLine {
  axis: "x" | "y";
  value: number;
  label: string;
  color?: string;
  dash?: readonly number[];
}

export interface XYSpec {
  id: string;
  title: string;
  /** One muted line under the title (what was left out, sampling, units). */
  note?: string;
  x: Axis;
  y: Axis;
  series: readonly Series[];
  refs?: readonly RefLine[];
  width?: number;
  height?: number;
}

const W = 720;
const H = 360;
const PAD = 14;
const TICK_SIZE = 11;
const TITLE_SIZE = 15;
const NOTE_SIZE = 11;
const LEGEND_SIZE = 11;

const colorOf = (s: Series, i: number): string => s.color ?? seriesColor(i);

function extent(spec: XYSpec): { x: [number, number]; y: [number, number] } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of spec.series) {
    if (s.type === "bars") {
      xs.push(...s.lo, ...s.hi);
      ys.push(...s.ys);
    } else if (s.type === "errorbars") {
      xs.push(...s.xs);
      ys.push(...s.lo, ...s.hi);
    } else {
      xs.push(...s.xs);
      for (const y of s.ys) if (y !== null) ys.push(y);
    }
  }
  for (const r of spec.refs ?? []) (r.axis === "x" ? xs : ys).push(r.value);
  const fin = (a: number[]) => a.filter(Number.isFinite);
  const range = (a: number[], zero: boolean | undefined): [number, number] => {
    const f = fin(a);
    if (f.length === 0) return [0, 1];
    let lo = f.reduce((m, v) => Math.min(m, v), Infinity);
    let hi = f.reduce((m, v) => Math.max(m, v), -Infinity);
    if (zero) {
      lo = Math.min(0, lo);
      hi = Math.max(0, hi);
    }
    return [lo, hi];
  };
  return { x: range(xs, spec.x.zero), y: range(ys, spec.y.zero) };
}

interface Legend {
  shapes: Shape[];
  height: number;
}

function legend(spec: XYSpec, left: number, right: number, top: number): Legend {
  const font = chartFont();
  const entries = spec.series.map((s, i) => ({ s, i })).filter(({ s }) => !s.noLegend);
  if (entries.length < 2) return { shapes: [], height: 0 };
  const shapes: Shape[] = [];
  let x = left;
  let y = top + LEGEND_SIZE;
  for (const { s, i } of entries) {
    const w = 22 + font.measure(s.name, LEGEND_SIZE) + 14;
    if (x + w > right && x > left) {
      x = left;
      y += LEGEND_SIZE + 6;
    }
    const color = colorOf(s, i);
    if (s.type === "line") {
      shapes.push({ kind: "line", points: [x, y - 4, x + 16, y - 4], stroke: { color, width: s.width ?? 2, ...(s.dash ? { dash: s.dash } : {}) } });
    } else if (s.type === "points") shapes.push({ kind: "circle", cx: x + 8, cy: y - 4, r: 4, fill: color });
    else shapes.push({ kind: "rect", x, y: y - 9, w: 16, h: 10, fill: color });
    shapes.push({ kind: "text", x: x + 22, y, text: s.name, size: LEGEND_SIZE, color: INK, anchor: "start" });
    x += w;
  }
  return { shapes, height: y - top + 6 };
}

/** Evenly spaced category ticks, at most ~12 labelled. */
function categoryTicks(n: number): number[] {
  const every = Math.max(1, Math.ceil(n / 12));
  return Array.from({ length: n }, (_, i) => i).filter((i) => i % every === 0);
}

export function xyChart(spec: XYSpec): Scene {
  const font = chartFont();
  const width = spec.width ?? W;
  const height = spec.height ?? H;
  const shapes: Shape[] = [];
  shapes.push({ kind: "text", x: PAD, y: PAD + TITLE_SIZE - 2, text: spec.title, size: TITLE_SIZE, color: INK, anchor: "start" });
  let top = PAD + TITLE_SIZE + 6;
  if (spec.note) {
    shapes.push({ kind: "text", x: PAD, y: top + NOTE_SIZE, text: spec.note, size: NOTE_SIZE, color: MUTED, anchor: "start" });
    top += NOTE_SIZE + 6;
  }
  const ext = extent(spec);
  const cats = spec.x.categories;
  const xt: Ticks = cats
    ? { min: -0.5, max: cats.length - 0.5, step: 1, values: categoryTicks(cats.length) }
    : niceTicks(spec.x.min ?? ext.x[0], spec.x.max ?? ext.x[1], Math.max(3, Math.round(width / 110)));
  const yt = niceTicks(spec.y.min ?? ext.y[0], spec.y.max ?? ext.y[1], Math.max(3, Math.round(height / 70)));
  const yLabels = yt.values.map((v) => tickLabel(v, yt.step));
  const yLabelW = yLabels.reduce((m, l) => Math.max(m, font.measure(l, TICK_SIZE)), 0);
  const left = PAD + 16 + yLabelW + 8;
  const right = width - PAD - 6;
  const lg = legend(spec, left, right, top);
  shapes.push(...lg.shapes);
  top += lg.height + 8;
  const bottom = height - PAD - 30;
  const sx = (v: number): number => left + ((v - xt.min) / (xt.max - xt.min || 1)) * (right - left);
  const sy = (v: number): number => bottom - ((v - yt.min) / (yt.max - yt.min || 1)) * (bottom - top);
  const inX = (v: number) => v >= xt.min - 1e-9 * Math.abs(xt.max - xt.min) && v <= xt.max + 1e-9 * Math.abs(xt.max - xt.min);

  // Grid and tick labels.
  yt.values.forEach((v, i) => {
    shapes.push({ kind: "line", points: [left, sy(v), right, sy(v)], stroke: { color: GRID, width: 1 } });
    shapes.push({ kind: "text", x: left - 6, y: sy(v) + 4, text: yLabels[i]!, size: TICK_SIZE, color: MUTED, anchor: "end" });
  });
  for (const v of xt.values) {
    const label = cats ? (cats[v] ?? "") : tickLabel(v, xt.step);
    shapes.push({ kind: "line", points: [sx(v), top, sx(v), bottom], stroke: { color: GRID, width: 1 } });
    shapes.push({ kind: "text", x: sx(v), y: bottom + 16, text: label, size: TICK_SIZE, color: MUTED, anchor: "middle" });
  }
  shapes.push({ kind: "text", x: (left + right) / 2, y: height - PAD, text: spec.x.label, size: TICK_SIZE + 1, color: INK, anchor: "middle" });
  shapes.push({ kind: "text", x: PAD + 10, y: (top + bottom) / 2, text: spec.y.label, size: TICK_SIZE + 1, color: INK, anchor: "middle", rotate: true });

  // Point labels go to the first corner around their point where they overlap no earlier label.
  const placed: [number, number, number, number][] = [];
  const placeLabel = (text: string, px: number, py: number): Shape => {
    const w = font.measure(text, 10);
    const corners = [
      [px + 7, py - 6, "start"],
      [px + 7, py + 14, "start"],
      [px - 7, py - 6, "end"],
      [px - 7, py + 14, "end"],
    ] as const;
    const box = ([x, y, a]: (typeof corners)[number]): [number, number, number, number] =>
      a === "start" ? [x, y - 10, x + w, y + 2] : [x - w, y - 10, x, y + 2];
    const free = corners.find((c) => {
      const [x0, y0, x1, y1] = box(c);
      return x1 <= width && placed.every(([a0, b0, a1, b1]) => x1 <= a0 || x0 >= a1 || y1 <= b0 || y0 >= b1);
    });
    const [x, y, anchor] = free ?? corners[0];
    placed.push(box([x, y, anchor]));
    return { kind: "text", x, y, text, size: 10, color: INK, anchor, halo: true };
  };

  // Data.
  let drawn = 0;
  spec.series.forEach((s, si) => {
    const color = colorOf(s, si);
    if (s.type === "bars") {
      for (let i = 0; i < s.ys.length; i++) {
        const x0 = sx(s.lo[i]!);
        const x1 = sx(s.hi[i]!);
        const y = sy(s.ys[i]!);
        const w = Math.max(0.5, x1 - x0 - (x1 - x0 > 4 ? 1 : 0));
        const title = s.titles?.[i];
        shapes.push({
          kind: "rect",
          x: x0,
          y,
          w,
          h: Math.max(0, sy(0) - y),
          fill: color,
          opacity: 0.85,
          data: true,
          ...(title !== undefined ? { title } : {}),
        });
        drawn++;
      }
    } else if (s.type === "errorbars") {
      for (let i = 0; i < s.xs.length; i++) {
        const x = sx(s.xs[i]!);
        const lo = sy(s.lo[i]!);
        const hi = sy(s.hi[i]!);
        shapes.push({ kind: "line", points: [x, lo, x, hi], stroke: { color, width: 1.5 }, data: true });
        shapes.push({ kind: "line", points: [x - 4, lo, x + 4, lo], stroke: { color, width: 1.5 } });
        shapes.push({ kind: "line", points: [x - 4, hi, x + 4, hi], stroke: { color, width: 1.5 } });
        drawn++;
      }
    } else if (s.type === "points") {
      for (let i = 0; i < s.xs.length; i++) {
        const title = s.titles?.[i];
        shapes.push({
          kind: "circle",
          data: true,
          cx: sx(s.xs[i]!),
          cy: sy(s.ys[i]!),
          r: s.r ?? 3,
          fill: color,
          opacity: s.opacity ?? 0.6,
          ...(title !== undefined ? { title } : {}),
        });
        const label = s.labels?.[i];
        if (label) shapes.push(placeLabel(label, sx(s.xs[i]!), sy(s.ys[i]!)));
        drawn++;
      }
    } else {
      // Lines break at nulls.
      let run: number[] = [];
      const flush = () => {
        if (run.length >= 4)
          shapes.push({ kind: "line", points: run, stroke: { color, width: s.width ?? 2, ...(s.dash ? { dash: s.dash } : {}) }, data: true });
        run = [];
      };
      for (let i = 0; i < s.xs.length; i++) {
        const y = s.ys[i];
        if (y === null || y === undefined || !Number.isFinite(y)) {
          flush();
          continue;
        }
        if (s.step && run.length >= 2) run.push(sx(s.xs[i]!), run[run.length - 1]!);
        run.push(sx(s.xs[i]!), sy(y));
        drawn++;
      }
      flush();
      if (s.markers || s.labels)
        s.xs.forEach((x, i) => {
          const y = s.ys[i];
          if (y === null || y === undefined || !Number.isFinite(y)) return;
          const title = s.titles?.[i];
          if (s.markers) shapes.push({ kind: "circle", cx: sx(x), cy: sy(y), r: 3.5, fill: color, data: true, ...(title !== undefined ? { title } : {}) });
          const label = s.labels?.[i];
          if (label) shapes.push(placeLabel(label, sx(x), sy(y)));
        });
    }
  });

  // Reference lines, labels staggered so neighbours stay readable.
  (spec.refs ?? []).forEach((r, i) => {
    const color = r.color ?? INK;
    const stroke = { color, width: 1.25, dash: r.dash ?? [5, 4] };
    if (r.axis === "x") {
      if (!inX(r.value)) return;
      const x = sx(r.value);
      shapes.push({ kind: "line", points: [x, top, x, bottom], stroke });
      const flip = x > right - 90;
      shapes.push({
        kind: "text",
        x: x + (flip ? -4 : 4),
        y: top + 12 + (i % 4) * 13,
        text: r.label,
        size: 10,
        color,
        anchor: flip ? "end" : "start",
        halo: true,
      });
    } else {
      const y = sy(r.value);
      shapes.push({ kind: "line", points: [left, y, right, y], stroke });
      shapes.push({ kind: "text", x: right - 4, y: y - 4, text: r.label, size: 10, color, anchor: "end", halo: true });
    }
  });

  // Axes last, over the bars.
  shapes.push({ kind: "line", points: [left, top, left, bottom, right, bottom], stroke: { color: INK, width: 1 } });
  if (drawn === 0) shapes.push({ kind: "text", x: (left + right) / 2, y: (top + bottom) / 2, text: "no data", size: 14, color: MUTED, anchor: "middle" });
  return { id: spec.id, title: spec.title, width, height, shapes };
}
