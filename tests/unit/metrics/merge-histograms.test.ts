// Adding the shards' slice histograms gives the histograms of the union of their requests.
import { expect, test } from "bun:test";
import { decodeFromCompressedBase64 } from "hdr-histogram-js";
import { mergeSliceHistograms } from "../../../src/metrics/merge-histograms.ts";
import { type SliceHistogram, sliceHistograms } from "../../../src/metrics/slice-histograms.ts";
import { sliceRecords } from "../../../src/metrics/timeslices.ts";
import type { RequestRecord } from "../../../src/record/request-record.ts";
import { makeRecord } from "../../helpers/records.ts";

const SLICE_NS = 1e9;
const T0 = 1_800_000_000 * 1e9;
const opts = { streaming: true, slos: [] };

/** A row with its histogram as bucket counts: the encoding's header (its highest trackable value) may differ. */
function comparable(h: SliceHistogram): Omit<SliceHistogram, "encoded"> & { buckets: [number, number][] } {
  const { encoded, ...rest } = h;
  const d = decodeFromCompressedBase64(encoded);
  const buckets: [number, number][] = [];
  for (let p = 0; p <= 100; p += 0.5) buckets.push([p, d.getValueAtPercentile(p)]);
  buckets.push([d.totalCount, d.mean]);
  d.destroy();
  return { ...rest, buckets };
}

/** Requests spread over ~4 s with varied latencies; a few fail (left out of the histograms). */
function records(n: number): RequestRecord[] {
  return Array.from({ length: n }, (_, i) =>
    makeRecord(
      {
        startNs: T0 + ((i * 37) % 4000) * 1e6,
        ttftMs: 5 + ((i * 13) % 90),
        chunkMs: [5 + ((i * 13) % 90), 40 + ((i * 7) % 200), 300 + (i % 11)],
        tokensPerChunk: 1 + (i % 3),
        ...(i % 17 === 0 ? { error: { code: 500, type: "http_error", message: "x" } } : {}),
      },
      i,
    ),
  );
}

test("the sum of each shard's histograms is the histogram of all their requests", () => {
  const all = records(400);
  const shards = [0, 1, 2].map((s) => all.filter((_, i) => i % 3 === s));
  // Each shard numbers its own slices (and may lack some): merge keys on the slice's start.
  shards[2] = shards[2]!.filter((r) => r.start_ns < T0 + 3e9);
  const union = shards.flat();
  const perShard = shards.flatMap((rs) => sliceHistograms(sliceRecords(rs, SLICE_NS), opts));
  const merged = mergeSliceHistograms(perShard);
  const whole = sliceHistograms(sliceRecords(union, SLICE_NS), opts);
  expect(merged.length).toBe(whole.length);
  expect(merged.length).toBeGreaterThan(20);
  const key = (h: { sliceIndex: number; tag: string }) => `${h.sliceIndex}/${h.tag}`;
  expect(merged.map(key)).toEqual(whole.map(key));
  for (let i = 0; i < whole.length; i++) expect(comparable(merged[i]!)).toEqual(comparable(whole[i]!));
});

test("a zero value recorded in one shard stays the merged minimum", () => {
  const a = makeRecord({ startNs: T0, ttftMs: 10, chunkMs: [10, 10, 20] }, 0); // a 0 ms chunk gap
  const b = makeRecord({ startNs: T0 + 1e6, ttftMs: 30, chunkMs: [30, 45, 60] }, 1);
  const merged = mergeSliceHistograms([...sliceHistograms(sliceRecords([a], SLICE_NS), opts), ...sliceHistograms(sliceRecords([b], SLICE_NS), opts)]);
  const whole = sliceHistograms(sliceRecords([a, b], SLICE_NS), opts);
  const icl = (hs: typeof whole) => hs.find((h) => h.tag === "inter_chunk_latency")!;
  expect(icl(whole).min).toBe(0);
  expect(comparable(icl(merged))).toEqual(comparable(icl(whole)));
});
