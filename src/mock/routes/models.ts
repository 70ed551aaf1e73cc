// GET /v1/models: OpenAI list shape of the served model names.
import { jsonResponse } from "../http.ts";

export function handleModels(models: readonly string[], createdS: number, requestId: string): Response {
  const data = models.map((id) => ({ id, object: "model", created: createdS, owned_by: "llmbench-mock" }));
  return jsonResponse(200, JSON.stringify({ object: "list", data }), requestId);
}
