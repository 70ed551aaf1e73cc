// The shape every API's reader has (response-reader.ts picks one per endpoint type); apart from the
// dispatch so the readers and the dispatch do not import each other.
import type { ChunkInfo } from "./openai-chunk.ts";
import type { SseEvent } from "./sse-parser.ts";

/**
 * A non-streaming body: ChunkInfo; "answer", a valid answer of an API without text (embeddings,
 * rankings); "empty", a valid but empty one; "invalid", not the API's shape (`message` says how).
 */
export type BodyInfo = ChunkInfo | { kind: "answer" } | { kind: "empty"; what: string } | { kind: "invalid"; message: string };

export interface ResponseReader {
  /** One SSE event of a streaming answer. */
  event(ev: SseEvent): ChunkInfo;
  /** A whole non-streaming body (not empty). */
  body(text: string): BodyInfo;
  /** The stream ends when the server closes it (no end event of its own). */
  readonly endsAtClose?: boolean;
  /** What ends a stream of this API, for the error when a stream ends without it. */
  readonly endMarker: string;
  /** Why a stream without any text is empty, for its error. */
  readonly emptyStream: string;
  /** Why a body without text is empty, for its error. */
  readonly emptyBody: string;
}
