import { SseParser, type SseEvent } from "../../src/client/sse-parser.ts";

/** Feeds the pieces in order, then ends the stream; returns every event. */
export function parsePieces(pieces: readonly string[]): SseEvent[] {
  const p = new SseParser();
  const out: SseEvent[] = [];
  for (const piece of pieces) out.push(...p.feed(piece));
  out.push(...p.end());
  return out;
}
