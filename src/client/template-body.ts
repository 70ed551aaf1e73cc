// --endpoint-type template: the request body is the user's Jinja2 template (AIPerf's
// `--extra-inputs payload_template:...`: inline text, a file path, or the named template
// nv-embedqa), rendered by nunjucks with AIPerf's variables and parsed as JSON; the other
// --extra-inputs are merged in, except response_field (the field path of the answer's text).
import { existsSync, readFileSync } from "node:fs";
import type * as Nunjucks from "nunjucks";
import { parseFieldPath, type PathStep } from "./field-path.ts";

export const TEMPLATE_KEY = "payload_template";
export const RESPONSE_FIELD_KEY = "response_field";

/** AIPerf's named templates. */
const NAMED_TEMPLATES: Record<string, string> = { "nv-embedqa": '{"text": {{ texts|tojson }}}' };

/** Jinja2's tojson: JSON with <, >, & and ' escaped (HTML-safe, still JSON); None/undefined is null. */
function tojson(nunjucks: typeof Nunjucks, v: unknown): Nunjucks.runtime.SafeString {
  const json = (JSON.stringify(v === undefined ? null : v) ?? "null")
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/'/g, "\\u0027");
  return new nunjucks.runtime.SafeString(json);
}

/**
 * nunjucks and its environment, made on first use: every thread that bundles this file (the main
 * thread, each load worker) would otherwise load ~95 KB of template compiler at start, for one endpoint type.
 */
let templates: { nunjucks: typeof Nunjucks; env: Nunjucks.Environment; compiled: Map<string, Nunjucks.Template> } | null = null;

function templateEngine(): NonNullable<typeof templates> {
  if (templates === null) {
    const nunjucks = require("nunjucks") as typeof Nunjucks;
    // Autoescape on, as AIPerf's Jinja2 environment has it: a bare {{ text }} is HTML-escaped, tojson is not.
    const env = new nunjucks.Environment(null, { autoescape: true, throwOnUndefined: false });
    env.addFilter("tojson", (v: unknown) => tojson(nunjucks, v));
    // Jinja2's lower works on any value ({{ stream|lower }} gives true/false).
    env.addFilter("lower", (v: unknown) => String(v).toLowerCase());
    templates = { nunjucks, env, compiled: new Map() };
  }
  return templates;
}

function compiledTemplate(source: string): Nunjucks.Template {
  const { nunjucks, env, compiled } = templateEngine();
  let t = compiled.get(source);
  if (t === undefined) {
    t = nunjucks.compile(source, env);
    compiled.set(source, t);
  }
  return t;
}

const sources = new Map<string, string>();

/** The template source a payload_template value names: a named template, a file's text (read once), or itself. */
export function templateSource(value: string, readText: (path: string) => string | null = readIfFile): string {
  let s = sources.get(value);
  if (s === undefined) {
    s = NAMED_TEMPLATES[value] ?? readText(value) ?? value;
    sources.set(value, s);
  }
  return s;
}

function readIfFile(path: string): string | null {
  if (path.includes("\n") || path.includes("{") || !existsSync(path)) return null;
  return readFileSync(path, "utf8");
}

export interface TemplateVars {
  prompt: string;
  model: string;
  maxTokens: number | null;
  streaming: boolean;
}

/** AIPerf's template variables for one single-text turn. */
function variables(v: TemplateVars): Record<string, unknown> {
  return {
    text: v.prompt,
    texts: [v.prompt],
    images: [],
    audios: [],
    videos: [],
    image: null,
    audio: null,
    video: null,
    query: null,
    queries: [],
    passage: null,
    passages: [],
    texts_by_name: {},
    images_by_name: {},
    audios_by_name: {},
    videos_by_name: {},
    model: v.model,
    max_tokens: v.maxTokens,
    role: "user",
    stream: v.streaming,
  };
}

/** The template rendered and parsed; throws with the reason when it is not a JSON object. */
export function renderTemplateBody(source: string, v: TemplateVars): Record<string, unknown> {
  const rendered = compiledTemplate(source).render(variables(v));
  let body: unknown;
  try {
    body = JSON.parse(rendered);
  } catch (e) {
    throw new Error(`does not render valid JSON (${e instanceof Error ? e.message : String(e)}): ${rendered.slice(0, 200)}`);
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new Error(`does not render a JSON object: ${rendered.slice(0, 200)}`);
  return body as Record<string, unknown>;
}

/** The template settings in --extra-inputs, and the inputs left to merge into each body. */
export function templateSettings(extra: Record<string, unknown>): { source: string | null; responseField: string | null; rest: Record<string, unknown> } {
  const { [TEMPLATE_KEY]: t, [RESPONSE_FIELD_KEY]: f, ...rest } = extra;
  // A template that is itself valid JSON was parsed by --extra-inputs: back to text.
  const source = t === undefined ? null : typeof t === "string" ? templateSource(t) : JSON.stringify(t);
  return { source, responseField: f === undefined ? null : String(f), rest };
}

/** The response_field's path steps, or null when none is given. */
export function responseFieldSteps(extra: Record<string, unknown>): PathStep[] | null {
  const f = extra[RESPONSE_FIELD_KEY];
  return f === undefined ? null : parseFieldPath(String(f));
}

/** Problems with the template settings, one line each (checked before the run by rendering a sample). */
export function templateProblems(extra: Record<string, unknown>, model: string): string[] {
  const s = templateSettings(extra);
  const problems: string[] = [];
  if (s.source === null) {
    problems.push(
      `--endpoint-type template needs --extra-inputs ${TEMPLATE_KEY}:TEMPLATE (Jinja2 text, a file, or nv-embedqa), e.g. ${TEMPLATE_KEY}:'{"text": {{ text|tojson }}}'`,
    );
  } else {
    try {
      renderTemplateBody(s.source, { prompt: "sample prompt", model, maxTokens: 16, streaming: false });
    } catch (e) {
      problems.push(`--extra-inputs ${TEMPLATE_KEY} ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (s.responseField !== null && parseFieldPath(s.responseField) === null) {
    problems.push(`--extra-inputs ${RESPONSE_FIELD_KEY}:${s.responseField} is not a field path (names and [n] indices, like choices[0].message.content)`);
  }
  return problems;
}
