// The APIs llmbench can benchmark, under AIPerf's --endpoint-type names, and what each one is: one
// table, so paths, streaming support, token output and model listing are said once.

export const ENDPOINT_TYPES = [
  "chat",
  "completions",
  "embeddings",
  "responses",
  "messages",
  "huggingface_generate",
  "nim_rankings",
  "hf_tei_rankings",
  "cohere_rankings",
  "template",
] as const;

export type EndpointType = (typeof ENDPOINT_TYPES)[number];

export interface EndpointInfo {
  /** Default request path. */
  path: string;
  /** Default path with --streaming, when it differs (TGI's /generate_stream). */
  streamingPath?: string;
  /** The API can stream (SSE). */
  streams: boolean;
  /** Answers carry generated text (output tokens, TTFT, ITL); false for embeddings and rankings. */
  producesTokens: boolean;
  /** The server answers GET /v1/models with an OpenAI-style list (the pre-flight checks --model in it). */
  listsModels: boolean;
  /** One line for --help. */
  what: string;
}

export const ENDPOINT_INFO: Record<EndpointType, EndpointInfo> = {
  chat: { path: "/v1/chat/completions", streams: true, producesTokens: true, listsModels: true, what: "OpenAI chat completions" },
  completions: { path: "/v1/completions", streams: true, producesTokens: true, listsModels: true, what: "OpenAI completions" },
  embeddings: { path: "/v1/embeddings", streams: false, producesTokens: false, listsModels: true, what: "OpenAI embeddings" },
  responses: { path: "/v1/responses", streams: true, producesTokens: true, listsModels: true, what: "OpenAI Responses API" },
  messages: { path: "/v1/messages", streams: true, producesTokens: true, listsModels: true, what: "Anthropic Messages API" },
  huggingface_generate: {
    path: "/generate",
    streamingPath: "/generate_stream",
    streams: true,
    producesTokens: true,
    listsModels: false,
    what: "Hugging Face TGI /generate (/generate_stream with --streaming)",
  },
  nim_rankings: { path: "/v1/ranking", streams: false, producesTokens: false, listsModels: false, what: "NVIDIA NIM reranking" },
  hf_tei_rankings: { path: "/rerank", streams: false, producesTokens: false, listsModels: false, what: "Hugging Face TEI reranking" },
  cohere_rankings: { path: "/v2/rerank", streams: false, producesTokens: false, listsModels: false, what: "Cohere rerank" },
  // No path of its own: requests go to --url as given (or --url plus --endpoint).
  template: { path: "", streams: true, producesTokens: true, listsModels: false, what: "a custom API: Jinja2 request template, response field path" },
};

export function isRankings(type: EndpointType): boolean {
  return type === "nim_rankings" || type === "hf_tei_rankings" || type === "cohere_rankings";
}

/** The endpoint type's own request path (before any --endpoint). */
export function defaultEndpointPath(type: EndpointType, streaming: boolean): string {
  const info = ENDPOINT_INFO[type];
  return streaming && info.streamingPath !== undefined ? info.streamingPath : info.path;
}

/** Every default path with its type (TGI's two), to recognise a whole endpoint URL given as --url. */
export function knownEndpointPaths(): [EndpointType, string][] {
  const out: [EndpointType, string][] = [];
  for (const type of ENDPOINT_TYPES) {
    const info = ENDPOINT_INFO[type];
    if (info.path !== "") out.push([type, info.path]);
    if (info.streamingPath !== undefined) out.push([type, info.streamingPath]);
  }
  return out;
}
