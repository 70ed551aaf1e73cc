// `bun scripts/bench.ts line-writer [rounds]`: ns a line to get profile_export.jsonl-like lines (ropes of
// ~60 pieces, ~1.6 KB) into a file: src/store/line-writer.ts against the way it was done before 2026-12-05
// (lines kept as strings, joined and encoded at each write). In process, no server.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LineWriter } from "../src/store/line-writer.ts";
import { median } from "./bench-pairs.ts";

const LINES = 20_000;

/** A line built as jsonlLine builds one: by concatenation, so a rope until it is read. */
function ropeLine(i: number): string {
  let s = `{"metadata":{"session_num":${i},"x_request_id":"${crypto.randomUUID()}"`;
  for (let k = 0; k < 30; k++) s += `,"metric_${k}":{"value":${(i * 1.2345 + k) / 7},"unit":"ms"}`;
  return `${s}}}`;
}

/** The former LineWriter's path: strings buffered to ~1 MiB, joined, encoded, written. */
function joinedNs(path: string, lines: string[]): number {
  const fd = openSync(path, "w");
  const t = Bun.nanoseconds();
  let buffer: string[] = [];
  let buffered = 0;
  let size = 0;
  const flush = (): void => {
    const data = Buffer.from(buffer.join(""));
    buffer = [];
    buffered = 0;
    for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off, size + off);
    size += data.length;
  };
  for (const l of lines) {
    const text = `${l}\n`;
    buffer.push(text);
    buffered += text.length;
    if (buffered >= 1 << 20) flush();
  }
  flush();
  const ns = (Bun.nanoseconds() - t) / lines.length;
  closeSync(fd);
  return ns;
}

async function lineWriterNs(path: string, lines: string[]): Promise<number> {
  const w = new LineWriter(path);
  const t = Bun.nanoseconds();
  for (const l of lines) w.write(l);
  w.flush();
  const ns = (Bun.nanoseconds() - t) / lines.length;
  await w.close();
  return ns;
}

export async function lineWriterBench(rounds: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "llmbench-lines-"));
  const joined: number[] = [];
  const reused: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      // Fresh ropes for each arm (reading one flattens it), which arm goes first swapped every round.
      for (const arm of r % 2 === 0 ? ["joined", "line-writer"] : ["line-writer", "joined"]) {
        const lines = Array.from({ length: LINES }, (_, i) => ropeLine(i));
        if (arm === "joined") joined.push(joinedNs(join(dir, "a"), lines));
        else reused.push(await lineWriterNs(join(dir, "b"), lines));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const row = {
    lines_per_round: LINES,
    rounds,
    joined_ns_median: median(joined),
    line_writer_ns_median: median(reused),
    joined_ns: joined,
    line_writer_ns: reused,
  };
  console.error(`line-writer: ${JSON.stringify(row)}`);
  return { results: [row] };
}
