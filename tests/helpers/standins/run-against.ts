// One request from llmbench's own request path (body builder, headers, http1 transport, request
// runner) to a stand-in server, and the record it makes.
import { createHttp1Transport } from "../../../src/client/http1-transport.ts";
import { requestBody, type BodyParams } from "../../../src/client/request-body.ts";
import { endpointHeaders, requestHeaders } from "../../../src/client/request-headers.ts";
import { runRequest, type RecordIdentity } from "../../../src/client/request-runner.ts";
import type { TokenCounter } from "../../../src/client/token-counter.ts";
import type { EndpointType } from "../../../src/client/endpoint-types.ts";
import type { PathStep } from "../../../src/client/field-path.ts";
import { endpointUrl } from "../../../src/client/endpoint-url.ts";
import type { RequestRecord } from "../../../src/record/request-record.ts";

const ID: RecordIdentity = {
  request_index: 0,
  session_num: 0,
  conversation_id: "c0",
  turn_index: 0,
  worker_id: 0,
  phase: "profiling",
  model: "standin-model",
  scheduled_ns: 0,
  queue_ns: 0,
  input_tokens: 4,
  requested_output_tokens: null,
};

/** Whitespace-separated words: the stand-ins send one or more whole words per delta. */
export const wordCounter: TokenCounter = { count: (t) => t.split(/\s+/).filter((w) => w !== "").length };

export async function runAgainst(
  baseUrl: string,
  endpointType: EndpointType,
  streaming: boolean,
  over: Partial<BodyParams> & { responseField?: readonly PathStep[] | null } = {},
  apiKey?: string,
): Promise<RequestRecord> {
  const transport = createHttp1Transport();
  try {
    const { responseField = null, ...bodyOver } = over;
    const body = requestBody({
      endpointType,
      model: "standin-model",
      prompt: "why is the sky blue",
      maxTokens: 16,
      streaming,
      includeUsage: true,
      extra: {},
      ...bodyOver,
    });
    const headers = requestHeaders({ streaming, configured: endpointHeaders(endpointType, apiKey, {}), urlAuthorization: null, requestId: "r1" });
    const url = endpointUrl(baseUrl, endpointType, undefined, streaming).url;
    return await runRequest(
      transport,
      { url, endpointType, streaming, body: JSON.stringify(body), headers, requestId: "r1", timeoutMs: 10_000, cancel: null, responseField },
      ID,
      wordCounter,
    );
  } finally {
    transport.close();
  }
}
