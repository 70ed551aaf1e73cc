// Response helpers: every response echoes X-Request-Id.
import { errorJson } from "./openai-json.ts";

export function jsonResponse(status: number, body: string, requestId: string, extra: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "application/json", "x-request-id": requestId, ...extra },
  });
}

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  404: "not_found_error",
  405: "invalid_request_error",
  429: "rate_limit_error",
  500: "internal_server_error",
  503: "service_unavailable",
};

/** OpenAI-style {"error":{message,type,param,code}}; code is the HTTP status. */
export function errorResponse(status: number, message: string, requestId: string, param: string | null = null, extra: Record<string, string> = {}): Response {
  return jsonResponse(status, errorJson(message, ERROR_TYPES[status] ?? "error", status, param), requestId, extra);
}
