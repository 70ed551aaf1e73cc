// Property tests: the SQL summary, slices, HDR histograms, schedule report and counts of stored
// records equal the in-memory reference (summarize, sliceRecords, sliceHistograms, scheduleReport)
// over the same records; float statistics within 1e-9 relative, everything else exactly.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseGoodput } from "../../../src/metrics/goodput.ts";
import { METRICS, metricSpec, type MetricTag } from "../../../src/metrics/metric-table.ts";
import { LiveBins } from "../../../src/store/live-bins.ts";
import { METRIC_COLUMNS, chunkCell, requestCell } from "../../../src/store/metric-columns.ts";
import { recordValues } from "../../../src/metrics/record-values.ts";
import { scheduleReport } from "../../../src/metrics/schedule-report.ts";
import { sliceHistograms, type SliceHistogram } from "../../../src/metrics/slice-histograms.ts";
import { summarize, type Summary, type SummaryOptions } from "../../../src/metrics/summary.ts";
import { sliceRecords } from "../../../src/metrics/timeslices.ts";
import type { RequestRecord } from "../../../src/record/request-record.ts";
import { queryReadOnly } from "../../../src/store/read-db.ts";
import { ResultsWriter } from "../../../src/store/results-db.ts";
import { summarizeDb } from "../../../src/store/summary-db.ts";
import { summarizeSlicesDb } from "../../../src/store/slices-db.ts";
import { DuckDBInstance } from "@duckdb/node-api";
import { expectClose } from "./close.ts";
import { randomRecords, startingAt } from "./random-records.ts";

export function expectSameSummary(got: Summary, want: Summary, ctx: string): void {
  expect([ctx, got.metrics.map((m) => m.tag)]).toEqual([ctx, want.metrics.map((m) => m.tag)]);
  expect([ctx, got.recordCount, got.benchmarkDurationNs, got.errorSummary]).toEqual([ctx, want.recordCount, want.benchmarkDurationNs, want.errorSummary]);
  want.metrics.forEach((w, i) => {
    const g = got.metrics[i]!;
    const c = `${ctx} ${w.tag}`;
    expect([c, g.header, g.unit, g.kind, g.count, g.min, g.max, g.percentiles.map((p) => p.key)]).toEqual([
      c,
      w.header,
      w.unit,
      w.kind,
      w.count,
      w.min,
      w.max,
      w.percentiles.map((p) => p.key),
    ]);
    const mag = Math.max(Math.abs(w.min ?? 0), Math.abs(w.max ?? 0));
    expectClose(g.avg, w.avg, `${c} avg`, { mag });
    expectClose(g.sum, w.sum, `${c} sum`, { mag });
    expectClose(g.std, w.std, `${c} std`, { mag });
    // Integer-valued metrics (ns, tokens): the same order statistics and numpy's interpolation, bit for bit.
    if (metricSpec(w.tag).valueType !== "float") expect([c, g.percentiles]).toEqual([c, w.percentiles]);
    else for (const [j, p] of w.percentiles.entries()) expectClose(g.percentiles[j]!.value, p.value, `${c} ${p.key}`, { mag });
  });
}

interface Case {
  name: string;
  records: RequestRecord[];
  opts: SummaryOptions;
  sliceNs: number;
}

const slos = (s: string, streaming: boolean) => parseGoodput([s], { streaming }).slos;

const CASES: Case[] = [
  { name: "streaming, p99.9", records: randomRecords({ count: 600, seed: 1 }), opts: { streaming: true, percentiles: [99.9] }, sliceNs: 1e9 },
  {
    name: "streaming, goodput SLOs, timed, clustered latencies",
    records: randomRecords({ count: 800, seed: 2, clustered: true }),
    opts: { streaming: true, slos: slos("time_to_first_token:40.02 output_sequence_length:3", true), timed: true, percentiles: [12.5, 99.9] },
    sliceNs: 0.7e9,
  },
  {
    name: "non-streaming, latency SLO, timed, server token counts",
    records: randomRecords({ count: 500, seed: 3 }),
    opts: { streaming: false, slos: slos("request_latency:100", false), timed: true, useServerTokenCount: true },
    sliceNs: 2e9,
  },
  {
    // The usual run: warmup requests are all stored before the first profiling one.
    name: "warmup stored first",
    records: (() => {
      const rs = randomRecords({ count: 400, seed: 7 });
      return [...rs.filter((r) => r.phase === "warmup"), ...rs.filter((r) => r.phase === "profiling")];
    })(),
    opts: { streaming: true, timed: true, percentiles: [99.9] },
    sliceNs: 1e9,
  },
  {
    name: "exact-double epoch base, one slice",
    records: randomRecords({ count: 300, seed: 4, baseNs: 1_000_000_000_000, spanMs: 900 }),
    opts: { streaming: true, slos: slos("inter_token_latency:15", true) },
    sliceNs: 1e9,
  },
  {
    // Starts within a float64 rounding of a slice boundary (a slice length not a multiple of 256 ns):
    // start / slice rounds up to the next whole number, and AIPerf (like sliceRecords) puts the request there.
    name: "starts at slice boundaries",
    records: randomRecords({ count: 120, seed: 6 }).map((r, i) => startingAt(r, (1_377_000_000_001 + Math.floor(i / 5) * 3) * 1_234_567 + ((i % 5) - 2) * 256)),
    opts: { streaming: true },
    sliceNs: 1_234_567,
  },
  {
    name: "failures only",
    records: randomRecords({ count: 200, seed: 5 }).filter((r) => r.error !== null || r.cancelled),
    opts: { streaming: true, slos: slos("request_latency:100", true), timed: true },
    sliceNs: 1e9,
  },
  { name: "no records", records: [], opts: { streaming: true, slos: slos("request_latency:100", true) }, sliceNs: 1e9 },
];

test("the cases between them produce every metric of the table", () => {
  const seen = new Set(CASES.flatMap((c) => summarize(c.records, c.opts).metrics.map((m) => m.tag)));
  expect(METRICS.filter((m) => !seen.has(m.tag)).map((m) => m.tag)).toEqual([]);
});

async function stored(c: Case): Promise<{ writer: ResultsWriter; dir: string; db: string }> {
  const dir = mkdtempSync(join(tmpdir(), "llmbench-sdb-"));
  const db = join(dir, "results.duckdb");
  const writer = await ResultsWriter.create(db, { run_id: "run-1", tool_version: "t", host: "h", config: "{}", started_ns: 0, ended_ns: null });
  for (const r of c.records) writer.append(r, recordValues(r, c.opts));
  return { writer, dir, db };
}

describe("SQL summary of stored records = summarize() of the records", () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const { writer, dir, db } = await stored(c);
      try {
        // The run summary (the writer's bins, kept as it stored the values, spare the first scan).
        const want = summarize(c.records, c.opts);
        expectSameSummary(await writer.summary(c.opts), want, "run");
        expect(writer.staleBinFallbacks).toBe(0);

        // Per-slice summaries and bounds.
        const gotSlices = await writer.sliceSummaries(c.opts, c.sliceNs);
        const wantSlices = sliceRecords(c.records, c.sliceNs);
        expect(gotSlices.map((s) => [s.index, s.startNs, s.endNs])).toEqual(wantSlices.map((s) => [s.index, s.startNs, s.endNs]));
        for (const [i, s] of wantSlices.entries()) expectSameSummary(gotSlices[i]!.summary, summarize(s.records, c.opts), `slice ${s.index}`);

        // Schedule report and counts.
        const o = { requestedRatePerSec: 12.5, streaming: c.opts.streaming };
        expect(await writer.scheduleReport(o)).toEqual(scheduleReport(c.records, o));
        const prof = c.records.filter((r) => r.phase === "profiling");
        expect(await writer.counts()).toEqual({
          profiling: prof.length,
          successful: prof.filter((r) => r.error === null && !r.cancelled).length,
          failed: prof.filter((r) => r.error !== null).length,
          cancelled: prof.filter((r) => r.cancelled).length,
          queued: prof.filter((r) => r.queue_ns > 0).length,
        });
        await writer.close(1);

        // The same summary from the file alone (every step in SQL), as `llmbench report` would compute it.
        const instance = await DuckDBInstance.create(db);
        const conn = await instance.connect();
        try {
          expectSameSummary(await summarizeDb(conn, { ...c.opts, runId: "run-1" }), want, "file");
          expectSameSummary(await summarizeDb(conn, c.opts), want, "file, every run");
          // Slices in batches of ~150 requests (a run's are ~100,000): same slices, same histograms.
          const hist: SliceHistogram[] = [];
          const batched = await summarizeSlicesDb(conn, {
            ...c.opts,
            runId: "run-1",
            sliceNs: c.sliceNs,
            batchRequests: 150,
            onHistogram: (h) => hist.push(h),
          });
          expect(batched.map((s) => [s.index, s.startNs, s.endNs])).toEqual(wantSlices.map((s) => [s.index, s.startNs, s.endNs]));
          for (const [i, s] of wantSlices.entries()) expectSameSummary(batched[i]!.summary, summarize(s.records, c.opts), `batched slice ${s.index}`);
          const key = (h: SliceHistogram) => `${h.sliceIndex}:${h.tag}`;
          expect(hist.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(sliceHistograms(wantSlices, c.opts).sort((a, b) => key(a).localeCompare(key(b))));
        } finally {
          conn.closeSync();
          instance.closeSync();
        }

        // The HDR histograms the slice pass stored equal the reference built from the records.
        const wantHist = sliceHistograms(wantSlices, c.opts);
        const rs = await queryReadOnly(db, "SELECT * FROM slices ORDER BY slice_index, metric");
        const got = rs.rows.map((row) => Object.fromEntries(rs.columns.map((col, i) => [col, row[i]])));
        const keyed = (xs: { slice_index: unknown; metric: unknown }[]) => xs.map((x) => `${x.slice_index}:${x.metric}`).sort();
        const wantRows = wantHist.map((h) => ({
          run_id: "run-1",
          slice_index: h.sliceIndex,
          slice_start_ns: h.sliceStartNs,
          slice_end_ns: h.sliceEndNs,
          metric: h.tag,
          unit: h.unit,
          scale: h.scale,
          count: h.count,
          min: h.min,
          max: h.max,
          mean: h.mean,
          p50: h.p50,
          p90: h.p90,
          p95: h.p95,
          p99: h.p99,
          hdr: h.encoded,
        }));
        expect(keyed(got as never)).toEqual(keyed(wantRows));
        const byKey = new Map(wantRows.map((w) => [`${w.slice_index}:${w.metric}`, w]));
        for (const g of got) {
          const w = byKey.get(`${g.slice_index}:${g.metric}`)!;
          // Slice bounds are BIGINT columns: compare them as the integers stored.
          expect({ ...g, slice_start_ns: Number(g.slice_start_ns), slice_end_ns: Number(g.slice_end_ns) }).toEqual({
            ...w,
            slice_start_ns: Number(BigInt(Math.round(w.slice_start_ns))),
            slice_end_ns: Number(BigInt(Math.round(w.slice_end_ns))),
          });
        }
        if (c.records.some((r) => r.phase === "profiling" && r.error === null && !r.cancelled)) expect(got.length).toBeGreaterThan(0);
      } finally {
        await writer.close(1);
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  }
});

test("bins that do not match the stored values are noticed, and the summary is computed from the table", async () => {
  const c = CASES[0]!;
  const { writer, dir, db } = await stored(c);
  await writer.close(1);
  const instance = await DuckDBInstance.create(db);
  const conn = await instance.connect();
  try {
    // Every value binned twice: each bin counts double what the table holds.
    const bins = new LiveBins<MetricTag>();
    for (const r of c.records) {
      if (r.phase !== "profiling") continue;
      const values = recordValues(r, c.opts);
      for (const col of METRIC_COLUMNS.filter((x) => x.spec.kind === "record" && values.has(x.tag))) {
        const cells = col.table === "requests" ? [requestCell(col, values)] : r.chunks.map((_, i) => chunkCell(col, values, i));
        for (const v of cells) {
          if (typeof v !== "number") continue;
          bins.add(col.tag, v);
          bins.add(col.tag, v);
        }
      }
    }
    const stale: Error[] = [];
    expectSameSummary(
      await summarizeDb(conn, { ...c.opts, runId: "run-1" }, { bins, onStale: (e) => stale.push(e) }),
      summarize(c.records, c.opts),
      "fallback",
    );
    expect(stale.length).toBe(1);
  } finally {
    conn.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
});
