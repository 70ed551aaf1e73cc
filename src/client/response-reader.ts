// What an answer means, per API: each endpoint type's reader turns one SSE event of a streaming
// answer, or a whole non-streaming body, into the same ChunkInfo shapes the request runner applies
// (openai-chunk.ts). Readers may keep per-request state (Anthropic splits usage over two events),
// so the runner makes one per request; chat and completions share stateless ones.
import type { EndpointType } from "./endpoint-types.ts";
import { messagesReader } from "./messages-stream.ts";
import { interpretChunk, interpretFullResponse, type ChunkInfo } from "./openai-chunk.ts";
import { embeddingsBody, rankingsReader } from "./rankings-response.ts";
import { responsesReader } from "./responses-stream.ts";
import type { SseEvent } from "./sse-parser.ts";
import { templateReader } from "./template-response.ts";
import { tgiReader } from "./tgi-stream.ts";
import type { PathStep } from "./field-path.ts";

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

const chat: ResponseReader = {
  event: (ev) => interpretChunk(ev.data, "chat"),
  body: (text) => interpretFullResponse(text, "chat"),
  endMarker: "data: [DONE]",
  emptyStream: "the stream carried no text (only empty choices, usage or [DONE])",
  emptyBody: "no text in choices[0] (empty choices, or null/empty content)",
};

const completions: ResponseReader = {
  ...chat,
  event: (ev) => interpretChunk(ev.data, "completions"),
  body: (text) => interpretFullResponse(text, "completions"),
};

const embeddings: ResponseReader = { ...chat, body: embeddingsBody };

/** `responseField`: the template type's response_field path, if any. */
export function responseReader(type: EndpointType, responseField: readonly PathStep[] | null = null): ResponseReader {
  switch (type) {
    case "chat":
      return chat;
    case "completions":
      return completions;
    case "embeddings":
      return embeddings;
    case "responses":
      return responsesReader();
    case "messages":
      return messagesReader();
    case "huggingface_generate":
      return tgiReader();
    case "nim_rankings":
    case "hf_tei_rankings":
    case "cohere_rankings":
      return rankingsReader(type);
    case "template":
      return templateReader(responseField);
  }
}
