// The pre-flight stage, after the TCP probe and before any load: for each server, its model list
// (GET /v1/models) and one real request per --model built as the load builds them. A run that could only fail
// (wrong URL, missing key, a model the server does not serve, an answer it cannot read) stops here
// with one line per server and exit 2; --no-preflight skips the stage.
import type { ConsolaInstance } from "consola";
import { modelsUrl } from "../client/endpoint-url.ts";
import { fetchModelListing, sendProbe, type PreflightSettings } from "../client/preflight.ts";
import { probeVerdict, servedModel } from "../client/preflight-verdicts.ts";
import { requestBody } from "../client/request-body.ts";
import { responseFieldSteps } from "../client/template-body.ts";
import { requestSecrets } from "../client/request-secrets.ts";
import { splitUrlCredentials } from "../client/url-credentials.ts";
import type { ProfileConfig } from "../config/profile-config.ts";
import type { Dataset } from "../dataset/plan-types.ts";
import { SecretScrubber } from "../record/safe-text.ts";
import { UsageError } from "../runtime/usage-error.ts";

/** Output tokens the pre-flight request asks for: enough to see an answer, cheap to generate. */
const PREFLIGHT_MAX_TOKENS = 4;
/** After this long without an answer, say what the wait is (a server may load the model on first use). */
const SLOW_ANSWER_NOTE_MS = 10_000;
/** Sent when the first prompt is built during the run (trace hash-id blocks). */
const FALLBACK_PROMPT = "Hello";

function settings(c: ProfileConfig): PreflightSettings {
  return {
    endpointType: c.endpointType,
    streaming: c.streaming,
    headers: c.headers,
    insecure: c.insecure,
    transport: c.transport,
    timeoutMs: c.requestTimeoutSeconds * 1000,
    responseField: c.endpointType === "template" ? responseFieldSteps(c.extraInputs) : null,
  };
}

/** A URL as it may be printed. */
const shown = (url: string): string => splitUrlCredentials(url).url.replace(/\/+$/, "");

/** The models URL and the printable base of a request URL. */
function server(c: ProfileConfig, url: string): { models: string; base: string } {
  const models = modelsUrl(url, c.endpointType, c.endpoint);
  return { models, base: shown(models).replace(/\/v1\/models$/, "") };
}

/** No --model: the one model the first server lists (one info line), else one problem line. */
export async function onlyServedModel(c: ProfileConfig, log: ConsolaInstance): Promise<string> {
  const url = c.urls[0]!;
  const { models, base } = server(c, url);
  const scrubber = new SecretScrubber(requestSecrets(c.headers, c.urls));
  const picked = servedModel(await fetchModelListing(models, settings(c)), base, shown(models), scrubber);
  if ("problem" in picked) throw new UsageError([picked.problem]);
  log.info(picked.note);
  return picked.model;
}

/** Checks every server with every --model; returns when the load can start (after any warnings), else throws the problems. */
export async function preflightServers(c: ProfileConfig, dataset: Dataset, log: ConsolaInstance): Promise<void> {
  const first = dataset.sessions[0]?.turns[0]?.prompt;
  const bodyFor = (model: string): string =>
    JSON.stringify(
      requestBody({
        endpointType: c.endpointType,
        model,
        prompt: first?.kind === "text" ? first.text : FALLBACK_PROMPT,
        maxTokens: PREFLIGHT_MAX_TOKENS,
        streaming: c.streaming,
        includeUsage: true,
        extra: c.extraInputs,
        rankingsPassages: c.rankingsPassagesMean,
        systemPrompt: dataset.systemPrompt,
      }),
    );
  const s = settings(c);
  const secrets = requestSecrets(c.headers, c.urls);
  const scrubber = new SecretScrubber(secrets);
  const models = c.models.length > 0 ? c.models : [c.model];
  const verdicts = await Promise.all(
    [...new Set(c.urls)].map(async (url) => {
      const { models: modelsAt, base } = server(c, url);
      const listing = await fetchModelListing(modelsAt, s);
      const slow = setTimeout(
        () =>
          log.info(
            `waiting for the pre-flight answer from ${shown(url)} (up to --request-timeout-seconds ${c.requestTimeoutSeconds}; --no-preflight skips this request)`,
          ),
        SLOW_ANSWER_NOTE_MS,
      );
      // One request per model: each must be served (a list of several is checked name by name).
      const answers = await Promise.all(models.map((m) => sendProbe(url, bodyFor(m), s))).finally(() => clearTimeout(slow));
      return answers.map((answer, i) =>
        probeVerdict(answer, { model: models[i]!, streaming: c.streaming, credentialsGiven: secrets.length > 0, server: base, listing, scrubber }),
      );
    }),
  ).then((v) => v.flat());
  for (const v of verdicts) if (v.kind === "warn") log.warn(v.line);
  const problems = verdicts.flatMap((v) => (v.kind === "fail" ? [v.line] : []));
  if (problems.length > 0) throw new UsageError(problems);
}
