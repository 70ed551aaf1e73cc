// What an answer means, per API: each endpoint type's reader turns one SSE event of a streaming
// answer, or a whole non-streaming body, into the same ChunkInfo shapes the request runner applies
// (openai-chunk.ts). Readers may keep per-request state (Anthropic splits usage over two events),
// so the runner makes one per request; chat and completions share stateless ones.
import type { EndpointType } from "./endpoint-types.ts";
import { messagesReader } from "./messages-stream.ts";
import { interpretChunk, interpretFullResponse } from "./openai-chunk.ts";
import { embeddingsBody, rankingsReader } from "./rankings-response.ts";
import { responsesReader } from "./responses-stream.ts";
import { templateReader } from "./template-response.ts";
import { tgiReader } from "./tgi-stream.ts";
import type { PathStep } from "./field-path.ts";
import type { ResponseReader } from "./response-reader-types.ts";

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
