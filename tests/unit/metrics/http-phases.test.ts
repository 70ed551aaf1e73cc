import { describe, expect, test } from "bun:test";
import { httpPhases, type HttpPhases } from "../../../src/metrics/http-phases.ts";
import { fetchTiming, type HttpTiming } from "../../../src/record/request-record.ts";

const T = 1_000_000_000; // small epoch-ns base: exact integer arithmetic

/** A fresh-connection http1 exchange: wait 0, connect 100..400, send 400..450, first byte 1450, last 3450. */
function http1(over: Partial<HttpTiming> = {}): HttpTiming {
  return {
    transport: "http1",
    pool_wait_start_ns: 0,
    pool_wait_end_ns: 0,
    connect_start_ns: T + 100,
    connect_end_ns: T + 400,
    send_start_ns: T + 400,
    send_end_ns: T + 450,
    first_byte_ns: T + 1450,
    last_byte_ns: T + 3450,
    bytes_sent: 300,
    bytes_received: 2048,
    writes: 1,
    reads: 5,
    reused: false,
    ...over,
  };
}

const FETCH: HttpTiming = fetchTiming(T + 1450, T + 3450);

const CASES: { name: string; timing: HttpTiming; want: HttpPhases }[] = [
  {
    name: "fresh connection, no pool wait",
    timing: http1(),
    want: {
      http_req_blocked: 0,
      http_req_connecting: 300,
      http_req_sending: 50,
      http_req_waiting: 1000,
      http_req_receiving: 2000,
      http_req_duration: 3050,
      http_req_connection_overhead: 300,
      http_req_total: 3350,
      http_req_data_sent: 300,
      http_req_data_received: 2048,
      http_req_chunks_sent: 1,
      http_req_chunks_received: 5,
      http_req_connection_reused: 0,
    },
  },
  {
    name: "reused connection after a pool wait: connecting 0 whatever the connection's old stamps",
    timing: http1({ reused: true, pool_wait_start_ns: T + 10, pool_wait_end_ns: T + 400, connect_start_ns: T + 1, connect_end_ns: T + 5 }),
    want: {
      http_req_blocked: 390,
      http_req_connecting: 0,
      http_req_sending: 50,
      http_req_waiting: 1000,
      http_req_receiving: 2000,
      http_req_duration: 3050,
      http_req_connection_overhead: 390,
      http_req_total: 3440,
      http_req_data_sent: 300,
      http_req_data_received: 2048,
      http_req_chunks_sent: 1,
      http_req_chunks_received: 5,
      http_req_connection_reused: 1,
    },
  },
  {
    name: "the request went out in two writes; a single-read response receives in 0",
    timing: http1({ writes: 2, reads: 1, first_byte_ns: T + 1450, last_byte_ns: T + 1450 }),
    want: {
      http_req_blocked: 0,
      http_req_connecting: 300,
      http_req_sending: 50,
      http_req_waiting: 1000,
      http_req_receiving: 0,
      http_req_duration: 1050,
      http_req_connection_overhead: 300,
      http_req_total: 1350,
      http_req_data_sent: 300,
      http_req_data_received: 2048,
      http_req_chunks_sent: 2,
      http_req_chunks_received: 1,
      http_req_connection_reused: 0,
    },
  },
  {
    name: "aborted while waiting for a connection: no wait end, nothing after it",
    timing: http1({
      pool_wait_start_ns: T + 10,
      pool_wait_end_ns: 0,
      connect_start_ns: 0,
      connect_end_ns: 0,
      send_start_ns: 0,
      send_end_ns: 0,
      first_byte_ns: 0,
      last_byte_ns: 0,
      writes: 0,
      reads: 0,
      bytes_received: 0,
    }),
    want: { http_req_data_sent: 300, http_req_data_received: 0, http_req_chunks_sent: 0, http_req_chunks_received: 0, http_req_connection_reused: 0 },
  },
  {
    name: "no response byte: sending only",
    timing: http1({ first_byte_ns: 0, last_byte_ns: 0, reads: 0, bytes_received: 0 }),
    want: {
      http_req_blocked: 0,
      http_req_connecting: 300,
      http_req_sending: 50,
      http_req_connection_overhead: 300,
      http_req_data_sent: 300,
      http_req_data_received: 0,
      http_req_chunks_sent: 1,
      http_req_chunks_received: 0,
      http_req_connection_reused: 0,
    },
  },
  {
    name: "server answered before the request was fully sent: no waiting (out of order), no total",
    timing: http1({ send_end_ns: T + 2000 }),
    want: {
      http_req_blocked: 0,
      http_req_connecting: 300,
      http_req_sending: 1600,
      http_req_receiving: 2000,
      http_req_duration: 3050,
      http_req_connection_overhead: 300,
      http_req_data_sent: 300,
      http_req_data_received: 2048,
      http_req_chunks_sent: 1,
      http_req_chunks_received: 5,
      http_req_connection_reused: 0,
    },
  },
  { name: "fetch: only receiving", timing: FETCH, want: { http_req_receiving: 2000 } },
];

describe("httpPhases", () => {
  for (const c of CASES) {
    test(c.name, () => {
      expect(httpPhases(c.timing)).toEqual(c.want);
    });
  }

  test("sending + waiting + receiving = duration and blocked + connecting + duration = total, for every complete case", () => {
    const complete = CASES.map((c) => httpPhases(c.timing)).filter((p) => p.http_req_total !== undefined);
    expect(complete.length).toBe(3);
    for (const p of complete) {
      expect(p.http_req_sending! + p.http_req_waiting! + p.http_req_receiving!).toBe(p.http_req_duration!);
      expect(p.http_req_blocked! + p.http_req_connecting! + p.http_req_duration!).toBe(p.http_req_total!);
    }
  });
});
