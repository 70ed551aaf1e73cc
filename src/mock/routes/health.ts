// GET /health: 200 while the server accepts requests (vLLM answers with an empty body).
export function handleHealth(requestId: string): Response {
  return new Response(null, { status: 200, headers: { "x-request-id": requestId } });
}
