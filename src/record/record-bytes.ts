import type { RequestRecord } from "./request-record.ts";

/** What one finished record holds in memory until it is stored, roughly: the record, its ids and its closure; each chunk adds a small object. */
const RECORD_BYTES = 2048;
const CHUNK_BYTES = 64;

/** Estimated bytes a finished record holds until it is stored. */
export const waitingBytes = (r: RequestRecord): number => RECORD_BYTES + CHUNK_BYTES * r.chunks.length;
