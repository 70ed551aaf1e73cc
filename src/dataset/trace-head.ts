// AIPerf's check before a trace is read in full: does the first non-empty line have a timestamp?
// Only the file's head is read.
import { closeSync, openSync, readSync } from "node:fs";

const HEAD_BYTES = 64 * 1024;

export function firstEntryHasTimestamp(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return false; // the dataset loader reports the unreadable file
  }
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const line = buf
      .subarray(0, n)
      .toString("utf8")
      .split("\n")
      .find((l) => l.trim() !== "");
    if (line === undefined) return false;
    try {
      const j = JSON.parse(line) as { timestamp?: unknown };
      return j.timestamp !== undefined && j.timestamp !== null;
    } catch {
      return /"timestamp"\s*:\s*\d/.test(line);
    }
  } finally {
    closeSync(fd);
  }
}
