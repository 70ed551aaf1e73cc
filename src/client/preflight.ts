// The pre-flight's network side (thin: what the answers mean is preflight-verdicts.ts): GET /v1/models,
// and one real request sent as the load sends it (same transport, headers and body settings) and read
// by the load's own request runner, so "the pre-flight passed" means "the load's requests can succeed".
import { createFetchTransport } from "./fetch-transport.ts";
import { createHttp1Transport } from "./http1-transport.ts";
import { parseModelListing, type ModelListing, type ProbeAnswer } from "./preflight-verdicts.ts";
import { ENDPOINT_INFO, type EndpointType } from "./endpoint-types.ts";
import type { PathStep } from "./field-path.ts";
import { requestHeaders } from "./request-headers.ts";
import { runRequest, type RecordIdentity } from "./request-runner.ts";
import type { ResponseHandler, Transport } from "./transport.ts";
import { splitUrlCredentials } from "./url-credentials.ts";

/** GET /v1/models gets this long; a server that does not answer it is not asked again. */
const MODELS_TIMEOUT_MS = 10_000;
/** Largest model list read (a hostile server cannot make us buffer more). */
const MODELS_MAX_BYTES = 1 << 20;
/** Start of the pre-flight answer kept to show in a problem line. */
const BODY_HEAD_CHARS = 2048;

export interface PreflightSettings {
  endpointType: EndpointType;
  streaming: boolean;
  /** -H headers and authorization from --api-key (lower-case names). */
  headers: Record<string, string>;
  insecure: boolean;
  transport: "http1" | "fetch";
  timeoutMs: number;
  /** --endpoint-type template: the response_field path (null: auto-detected). */
  responseField?: readonly PathStep[] | null;
}

const requestId = (): string => `llmbench-preflight-${crypto.randomUUID()}`;

async function readCapped(res: Response, maxBytes: number): Promise<string> {
  if (res.body === null) return "";
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  for (;;) {
    const r = await reader.read();
    if (r.done) return text + decoder.decode();
    bytes += r.value.byteLength;
    text += decoder.decode(r.value, { stream: true });
    if (bytes >= maxBytes) {
      await reader.cancel().catch(() => {});
      return text;
    }
  }
}

/** The models a server lists at `url` (its /v1/models, credentials allowed in it), or why there is no list. */
export async function fetchModelListing(url: string, s: PreflightSettings): Promise<ModelListing> {
  // TGI and the rerankers have no OpenAI model list: not asking beats a 404 read as "no models".
  if (!ENDPOINT_INFO[s.endpointType].listsModels) return { kind: "none", status: 0, why: `is not asked (--endpoint-type ${s.endpointType} has no model list)` };
  const target = splitUrlCredentials(url);
  const { "content-type": _, ...headers } = requestHeaders({
    streaming: false,
    configured: s.headers,
    urlAuthorization: target.authorization,
    requestId: requestId(),
  });
  try {
    const init: BunFetchRequestInit = { method: "GET", headers, redirect: "manual", signal: AbortSignal.timeout(MODELS_TIMEOUT_MS) };
    if (s.insecure) init.tls = { rejectUnauthorized: false };
    const res = await fetch(target.url, init);
    return parseModelListing(res.status, await readCapped(res, MODELS_MAX_BYTES));
  } catch (e) {
    return { kind: "none", status: 0, why: `got no answer (${e instanceof Error ? e.message : String(e)})` };
  }
}

const IDENTITY: RecordIdentity = {
  request_index: 0,
  session_num: 0,
  conversation_id: "preflight",
  turn_index: 0,
  worker_id: 0,
  phase: "warmup",
  model: "",
  scheduled_ns: 0,
  queue_ns: 0,
  input_tokens: 0,
  requested_output_tokens: null,
};

/** Sends `body` to `url` as the load would and returns what came back. Not part of any result. */
export async function sendProbe(url: string, body: string, s: PreflightSettings): Promise<ProbeAnswer> {
  const target = splitUrlCredentials(url);
  const inner = s.transport === "fetch" ? createFetchTransport({ insecure: s.insecure }) : createHttp1Transport({ insecure: s.insecure });
  let contentType: string | null = null;
  let location: string | null = null;
  let head = "";
  const decoder = new TextDecoder();
  // Sees the head and the first bytes on their way to the request runner.
  const capture: Transport = {
    name: inner.name,
    close: () => inner.close(),
    send(req, handler: ResponseHandler, signal) {
      return inner.send(
        req,
        {
          onHead(status, headers, at) {
            contentType = headers["content-type"] ?? null;
            location = headers.location ?? null;
            handler.onHead(status, headers, at);
          },
          onData(bytes, at) {
            if (head.length < BODY_HEAD_CHARS) head += decoder.decode(bytes, { stream: true });
            handler.onData(bytes, at);
          },
          onEnd: (at) => handler.onEnd(at),
          onError: (kind, message, at) => handler.onError(kind, message, at),
        },
        signal,
      );
    },
  };
  try {
    const id = requestId();
    const headers = requestHeaders({ streaming: s.streaming, configured: s.headers, urlAuthorization: target.authorization, requestId: id });
    const rec = await runRequest(
      capture,
      {
        url: target.url,
        endpointType: s.endpointType,
        streaming: s.streaming,
        body,
        headers,
        requestId: id,
        timeoutMs: s.timeoutMs,
        cancel: null,
        responseField: s.responseField ?? null,
      },
      IDENTITY,
      { count: () => 0 },
    );
    return { url: target.url, status: rec.http_status, contentType, location, bodyHead: head.slice(0, BODY_HEAD_CHARS), error: rec.error };
  } finally {
    capture.close();
  }
}
