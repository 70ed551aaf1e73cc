import { describe, expect, test } from "bun:test";
import { nextBackoffMs } from "../../../src/engine/connect-backoff.ts";
import type { RequestRecord } from "../../../src/record/request-record.ts";

type R = Pick<RequestRecord, "ack_ns" | "cancelled" | "error">;
const refused: R = { ack_ns: 0, cancelled: false, error: { code: 0, type: "connection_error", message: "ECONNREFUSED" } };
const timedOutBeforeHeaders: R = { ack_ns: 0, cancelled: false, error: { code: 408, type: "timeout", message: "no complete response" } };
const ok: R = { ack_ns: 5, cancelled: false, error: null };
const http503: R = { ack_ns: 5, cancelled: false, error: { code: 503, type: "http_error", message: "HTTP 503" } };
const brokenStream: R = { ack_ns: 5, cancelled: false, error: { code: 0, type: "connection_error", message: "stream broken: ECONNRESET" } };
const cancelled: R = { ack_ns: 0, cancelled: true, error: { code: 499, type: "cancelled", message: "request cancelled by the client" } };

describe("nextBackoffMs", () => {
  test.each([
    ["first refusal", 0, refused, 10],
    ["doubles", 10, refused, 20],
    ["doubles again", 320, refused, 640],
    ["capped at 1 s", 640, timedOutBeforeHeaders, 1000],
    ["stays at the cap", 1000, refused, 1000],
    ["a success clears it", 1000, ok, 0],
    ["an HTTP error is an answer: clears it", 640, http503, 0],
    ["a stream broken after the headers: the server was there", 80, brokenStream, 0],
    ["a client cancel leaves it", 80, cancelled, 80],
    ["nothing to clear", 0, ok, 0],
  ] as const)("%s", (_name, prev, r, want) => {
    expect(nextBackoffMs(prev, r)).toBe(want);
  });

  test("a 1.5 s outage: 8 attempts before the pauses add up past it", () => {
    const pauses: number[] = [];
    let ms = 0;
    let t = 0;
    while (t < 1500) {
      ms = nextBackoffMs(ms, refused);
      pauses.push(ms);
      t += ms;
    }
    expect(pauses).toEqual([10, 20, 40, 80, 160, 320, 640, 1000]);
  });
});
