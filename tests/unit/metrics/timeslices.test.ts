import { describe, expect, test } from "bun:test";
import { decodeFromCompressedBase64 } from "hdr-histogram-js";
import { sliceRecords } from "../../../src/metrics/timeslices.ts";
import { HDR_SIGNIFICANT_DIGITS, sliceHistograms } from "../../../src/metrics/slice-histograms.ts";
import { summarize } from "../../../src/metrics/summary.ts";
import { timeslicesCsv } from "../../../src/report/timeslices-export.ts";
import { mulberry32 } from "../../../src/dataset/seeded-rng.ts";
import { makeRecord } from "../../helpers/records.ts";

const SEC = 1e9;
const at = (startSec: number, ttftMs: number, i: number) => {
  const r = makeRecord({ chunkMs: [ttftMs, ttftMs + 10, ttftMs + 20] }, i);
  const shift = Math.round(startSec * SEC) - r.start_ns;
  return {
    ...r,
    scheduled_ns: r.scheduled_ns + shift,
    start_ns: r.start_ns + shift,
    ack_ns: r.ack_ns + shift,
    first_token_ns: r.first_token_ns + shift,
    first_output_token_ns: r.first_output_token_ns + shift,
    last_token_ns: r.last_token_ns + shift,
    end_ns: r.end_ns + shift,
    chunks: r.chunks.map((c) => ({ ...c, arrival_ns: c.arrival_ns + shift })),
  };
};

describe("sliceRecords", () => {
  test("epoch buckets by start time, empty ones skipped and the rest renumbered; warmup left out", () => {
    const base = 1_700_000_000; // seconds, a multiple of the slice length
    const recs = [at(base + 0.1, 10, 0), at(base + 0.9, 10, 1), at(base + 5.5, 10, 2), { ...at(base + 2.5, 10, 3), phase: "warmup" as const }];
    const slices = sliceRecords(recs, 2 * SEC);
    expect(slices.map((s) => [s.index, s.records.map((r) => r.request_index)])).toEqual([
      [0, [0, 1]],
      [1, [2]],
    ]);
    expect(slices[1]!.startNs).toBe((base + 4) * SEC);
    expect(slices[1]!.endNs).toBe((base + 6) * SEC);
    expect(() => sliceRecords(recs, 0)).toThrow();
  });
});

describe("slice histograms", () => {
  test("HDR percentiles are within the histogram's precision of the exact ones, and decode back", () => {
    const rng = mulberry32(11);
    const recs = Array.from({ length: 5000 }, (_, i) => at(1_700_000_000 + (i % 2) * 10, 1 + rng() * 2000, i));
    const slices = sliceRecords(recs, 10 * SEC);
    expect(slices.length).toBe(2);
    const hs = sliceHistograms(slices, { streaming: true });
    const tolerance = 10 ** -HDR_SIGNIFICANT_DIGITS; // relative
    for (const s of slices) {
      const h = hs.find((x) => x.sliceIndex === s.index && x.tag === "time_to_first_token")!;
      const exact = s.records.map((r) => r.first_token_ns - r.start_ns).sort((a, b) => a - b);
      expect(h.count).toBe(exact.length);
      for (const [p, got] of [
        [50, h.p50],
        [90, h.p90],
        [99, h.p99],
      ] as const) {
        const rank = Math.max(0, Math.ceil((p / 100) * exact.length) - 1); // nearest rank, as HDR
        const want = exact[rank]!;
        expect(Math.abs(got - want)).toBeLessThanOrEqual(want * tolerance + 1);
      }
      expect(Math.abs(h.max - exact.at(-1)!)).toBeLessThanOrEqual(exact.at(-1)! * tolerance + 1);
      const decoded = decodeFromCompressedBase64(h.encoded);
      expect(decoded.totalCount).toBe(exact.length);
      decoded.destroy();
    }
    // Only per-request metrics get histograms: no counters or throughputs.
    expect(hs.some((h) => h.tag === ("request_count" as string))).toBe(false);
    expect(hs.some((h) => h.tag === "inter_chunk_latency")).toBe(true);
  });
});

test("timeslices CSV: long form, CRLF, slices ascending, metrics by tag, AIPerf's stat order", () => {
  const recs = [at(1_700_000_000, 10, 0), at(1_700_000_000.5, 30, 1)];
  const slices = sliceRecords(recs, SEC);
  const csv = timeslicesCsv(slices.map((s) => ({ index: s.index, summary: summarize(s.records, { streaming: true }) })));
  const lines = csv.split("\r\n");
  expect(lines[0]).toBe("Timeslice,Metric,Unit,Stat,Value");
  expect(lines).toContain("0,Time to First Token,ms,avg,20.00");
  expect(lines).toContain("0,Time to First Token,ms,p50,20.00");
  expect(lines).toContain("0,Request Count,requests,avg,2.00");
  const ttftRows = lines.filter((l) => l.startsWith("0,Time to First Token,")).map((l) => l.split(",")[3]);
  expect(ttftRows).toEqual(["avg", "min", "max", "sum", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "std"]);
  expect(csv.endsWith("\r\n")).toBe(true);
});
