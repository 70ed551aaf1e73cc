// What the pre-flight's answers mean (pure): the server's model list (GET /v1/models) and the answer
// to one real request, each turned into "go on", one warning line, or one problem line with the
// likely fix. Everything a server sent is scrubbed of our secrets and made one safe line first.
import type { RecordError } from "../record/request-record.ts";
import { cleanServerText, type SecretScrubber } from "../record/safe-text.ts";

/** Models named in one line; the rest are counted. */
const LISTED_MAX = 10;
/** Characters of a server's text shown in a problem line. */
const SHOWN_CHARS = 80;

/** What GET /v1/models said. */
export type ModelListing =
  | { kind: "list"; ids: string[] }
  /** No usable list; `why` says what came instead ("answered HTTP 404", "no answer (...)"). */
  | { kind: "none"; status: number; why: string };

/** An OpenAI-style model list ({"data": [{"id": ...}, ...]}) from a 2xx answer, else what came instead. */
export function parseModelListing(status: number, body: string): ModelListing {
  if (status < 200 || status >= 300) {
    const hint = status === 401 || status === 403 ? " (check --api-key)" : "";
    return { kind: "none", status, why: `answered HTTP ${status}${hint}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: "none", status, why: `answered HTTP ${status} without a JSON model list` };
  }
  const data = (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return { kind: "none", status, why: `answered HTTP ${status} without a model list (no "data" array)` };
  const ids = data.map((m) => (m as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === "string" && id !== "");
  return { kind: "list", ids };
}

/** "a, b, c" up to LISTED_MAX names, then "and N more"; each name made safe to print. */
export function listedModels(ids: readonly string[], scrubber: SecretScrubber): string {
  const shown = ids.slice(0, LISTED_MAX).map((id) => cleanServerText(id, scrubber, SHOWN_CHARS));
  const more = ids.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}

/**
 * No --model given: the server's one model (as vLLM's bench does), or why there is none to pick.
 * `server` and `modelsUrl` are printable (no credentials).
 */
export function servedModel(
  listing: ModelListing,
  server: string,
  modelsUrl: string,
  scrubber: SecretScrubber,
): { model: string; note: string } | { problem: string } {
  if (listing.kind === "none")
    return { problem: `--model is required: GET ${modelsUrl} ${cleanServerText(listing.why, scrubber)}, so the model to use is not known` };
  const [only, ...others] = listing.ids;
  if (only === undefined) return { problem: `--model is required: ${server} lists no models at /v1/models` };
  if (others.length > 0) return { problem: `--model is required: ${server} serves ${listing.ids.length} models: ${listedModels(listing.ids, scrubber)}` };
  return { model: only, note: `--model not given: using ${cleanServerText(only, scrubber, SHOWN_CHARS)}, the one model ${server} serves` };
}

/** The answer to the pre-flight request, as it came back. */
export interface ProbeAnswer {
  /** The request URL, printable (no credentials). */
  url: string;
  /** HTTP status; 0 when no answer came. */
  status: number;
  contentType: string | null;
  /** A redirect's target, or null. */
  location: string | null;
  /** The start of the body as received (cleaned here before it is shown). */
  bodyHead: string;
  /** What the load would record for this answer; null is a success. */
  error: RecordError | null;
}

export interface ProbeContext {
  /** The --model sent. */
  model: string;
  streaming: boolean;
  /** An API key, a credential header or URL credentials were sent. */
  credentialsGiven: boolean;
  /** The server's base URL, printable. */
  server: string;
  listing: ModelListing;
  scrubber: SecretScrubber;
}

export type Verdict = { kind: "ok" } | { kind: "warn"; line: string } | { kind: "fail"; line: string };

const OK: Verdict = { kind: "ok" };
const fail = (line: string): Verdict => ({ kind: "fail", line });

function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/** The answer alone: would the load's requests succeed, and if not, the likely fix. */
function answerVerdict(a: ProbeAnswer, c: ProbeContext): Verdict {
  const at = `pre-flight request to ${a.url}`;
  const clean = (text: string): string => cleanServerText(text, c.scrubber, SHOWN_CHARS);
  const came = `HTTP ${a.status}, ${a.contentType === null ? "no content-type" : clean(a.contentType)}: "${clean(a.bodyHead)}"`;
  const said = a.error === null ? "" : clean(a.error.message);
  if (a.status === 0) return fail(`${at} failed: ${said}`);
  const type = mediaType(a.contentType);
  if (type === "text/html" || /^\s*<(!doctype html|html)/i.test(a.bodyHead)) {
    return fail(`${at} got an HTML page (${came}); --url must be the API server's base URL, like http://host:8000`);
  }
  if (a.error === null) return OK;
  const doubled = a.url.includes("/v1/v1/");
  const s = a.status;
  if (s === 401 || s === 403) {
    const fix = c.credentialsGiven ? "the server refused the credentials given (check --api-key, -H)" : "the server wants an API key: give --api-key KEY";
    return fail(`${at}: ${said}; ${fix}`);
  }
  if (s === 404)
    return fail(
      `${at}: ${said}; ${doubled ? "--url should not end in /v1" : "no such endpoint there: --url must be the server's base URL (like http://host:8000), the path comes from --endpoint-type or --endpoint"}`,
    );
  if (s === 405)
    return fail(
      `${at}: ${said}; ${doubled ? "--url should not end in /v1" : "that path does not take POST: --url must be the server's base URL (like http://host:8000), the path comes from --endpoint-type or --endpoint"}`,
    );
  if (s >= 300 && s < 400) return fail(`${at}: HTTP ${s} redirect${a.location === null ? "" : ` to ${clean(a.location)}`}; give the URL it points to as --url`);
  if (s === 429 || s >= 500) return { kind: "warn", line: `${at}: ${said}; going on (the server may be busy or still starting)` };
  if (s >= 400) return fail(`${at}: ${said}; the server refused the request the benchmark would send (check --model, --extra-inputs, -H, --isl and --osl)`);
  // A 2xx the load could not read.
  const hint =
    c.streaming && type === "application/json"
      ? "; the server did not stream: drop --streaming, or check the server streams"
      : !c.streaming && type === "text/event-stream"
        ? "; the server streamed: add --streaming"
        : "";
  return fail(`${at}: the answer (${came}) is not one the benchmark can read: ${said}${hint}`);
}

/** The answer and the model list together: one verdict per server. */
export function probeVerdict(a: ProbeAnswer, c: ProbeContext): Verdict {
  const listed = c.listing.kind === "list" ? c.listing.ids : null;
  const unlisted = listed !== null && !listed.includes(c.model);
  const verdict = answerVerdict(a, c);
  const model = cleanServerText(c.model, c.scrubber, SHOWN_CHARS);
  if (!unlisted) return verdict;
  const names = listed.length === 0 ? "no models" : listedModels(listed, c.scrubber);
  // Servers that take any name (llama.cpp) or aliases (Ollama's "name" for "name:latest") answer anyway.
  if (verdict.kind === "ok")
    return { kind: "warn", line: `--model ${model} is not in the list of ${c.server} (${names}), but the server answered it; going on` };
  // An unknown model is the likely cause of an error status (vLLM: 404 "The model ... does not exist").
  if (a.status < 400 || a.status === 401 || a.status === 403) return verdict;
  return fail(`--model ${model} is not served by ${c.server}; it lists ${names} (GET /v1/models)`);
}
