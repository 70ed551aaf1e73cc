// Charts of the server's gauges and histograms and of the GPUs over the run (pure): same time axis
// as the request charts, so a queue building on the server lines up with the client's TTFT.
import { shortNumber } from "./axes.ts";
import type { HistogramOverTime, OverTime } from "./server-side-data.ts";
import { ERROR_COLOR, PALETTE, type Scene } from "./scene.ts";
import { xyChart } from "./xy-chart.ts";

const timeAxis = { label: "time since the first request (s)", zero: true };

const hiddenNote = (o: OverTime): string => (o.hidden > 0 ? `; ${o.hidden} more series not drawn` : "");

export interface OverTimeView {
  id: string;
  title: string;
  yLabel: string;
  /** What each point is, e.g. "mean of the scrapes". */
  what: string;
  /** y axis from 0 to 100 (percentages). */
  percent?: boolean;
}

export function overTimeChart(v: OverTimeView, o: OverTime): Scene {
  const markers = Math.max(0, ...o.lines.map((l) => l.t.length)) <= 30;
  return xyChart({
    id: v.id,
    title: v.title,
    note: `${o.metric}, ${v.what} in each ${shortNumber(o.bucketNs / 1e9)} s slice${hiddenNote(o)}`,
    x: timeAxis,
    y: v.percent ? { label: v.yLabel, min: 0, max: 100 } : { label: v.yLabel, zero: true },
    series: o.lines.map((l, i) => ({ type: "line" as const, name: l.name || v.title, xs: l.t, ys: l.v, color: PALETTE[i % PALETTE.length]!, markers })),
  });
}

export function serverHistogramChart(id: string, name: string, h: HistogramOverTime): Scene {
  const ms = (xs: readonly (number | null)[]) => xs.map((x) => (x === null ? null : x * 1000));
  const markers = h.t.length <= 30;
  return xyChart({
    id,
    title: `${name} over time (server's histogram)`,
    note: `${h.metric}: what each ${shortNumber(h.bucketNs / 1e9)} s slice's scrapes added (${h.count.reduce((a, c) => a + c, 0)} requests); percentiles estimated within buckets`,
    x: timeAxis,
    y: { label: `${name} (ms)`, zero: true },
    series: [
      { type: "line", name: "mean", xs: h.t, ys: ms(h.mean), markers },
      { type: "line", name: "p50 (estimate)", xs: h.t, ys: ms(h.p50), color: PALETTE[1], dash: [6, 3], markers },
      { type: "line", name: "p99 (estimate)", xs: h.t, ys: ms(h.p99), color: ERROR_COLOR, markers },
    ],
  });
}
