// A stand-in server's plumbing: answers each POST with the frames its API module scripted, each
// written `afterMs` after the previous one, and notes when each frame was written (epoch ns), so a
// test can check the client's timestamps against what was actually sent when.
import { expect } from "bun:test";
import type { RequestRecord } from "../../../src/record/request-record.ts";
import { epochNs } from "../../../src/runtime/clock.ts";

export interface Frame {
  afterMs: number;
  text: string;
}

export interface Script {
  status?: number;
  contentType: string;
  headers?: Record<string, string>;
  frames: Frame[];
}

export interface Exchange {
  path: string;
  headers: Record<string, string>;
  body: unknown;
  /** When each frame was written, in frame order. */
  sentNs: number[];
}

export interface ScriptedServer {
  url: string;
  exchanges: Exchange[];
  stop(): Promise<void>;
}

export function startScriptedServer(answer: (path: string, body: unknown, headers: Record<string, string>) => Script): ScriptedServer {
  const exchanges: Exchange[] = [];
  const enc = new TextEncoder();
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const path = new URL(req.url).pathname;
      const headers: Record<string, string> = {};
      req.headers.forEach((v, k) => {
        headers[k] = v;
      });
      const text = await req.text();
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      const script = answer(path, body, headers);
      const ex: Exchange = { path, headers, body, sentNs: [] };
      exchanges.push(ex);
      const stream = new ReadableStream<Uint8Array>({
        async start(c) {
          for (const f of script.frames) {
            if (f.afterMs > 0) await Bun.sleep(f.afterMs);
            c.enqueue(enc.encode(f.text));
            ex.sentNs.push(epochNs());
          }
          c.close();
        },
      });
      return new Response(stream, { status: script.status ?? 200, headers: { "content-type": script.contentType, ...script.headers } });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, exchanges, stop: () => server.stop(true) };
}

/**
 * One chunk per text-bearing frame (`deltaFrames`, indices into the script's frames), each stamped
 * after its frame was written and before the next frame the server waited for was: the client
 * attributes every chunk to the frame that carried it, so TTFT and the gaps are what the server sent.
 */
export function expectChunkTimes(rec: RequestRecord, script: Script, deltaFrames: readonly number[], sentNs: readonly number[]): void {
  expect(rec.chunks.length).toBe(deltaFrames.length);
  deltaFrames.forEach((frame, i) => {
    const arrival = rec.chunks[i]!.arrival_ns;
    expect(arrival).toBeGreaterThanOrEqual(sentNs[frame]!);
    const nextWait = script.frames.findIndex((f, j) => j > frame && f.afterMs > 0);
    if (nextWait !== -1) expect(arrival).toBeLessThan(sentNs[nextWait]!);
  });
}
