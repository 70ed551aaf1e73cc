// Prometheus text exposition format (0.0.4, and the OpenMetrics spellings servers mix in): one pass
// over the lines, no regular expressions on the hot path. Malformed lines are skipped and counted
// (a scrape with one odd line still yields every other sample); the caller decides what to say.

export type PromType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

export interface PromSample {
  /** The sample's own name as exposed (e.g. `x_bucket`, `x_sum`). */
  name: string;
  /** The family it belongs to (`x` for `x_bucket`), by # TYPE lines and the standard suffixes. */
  family: string;
  type: PromType;
  /** Label pairs in exposition order, values unescaped. */
  labels: [string, string][];
  value: number;
  /** The optional trailing timestamp (ms since the epoch), else null. */
  timestampMs: number | null;
}

export interface PromParse {
  samples: PromSample[];
  /** # HELP text per family (unescaped). */
  help: Map<string, string>;
  /** # TYPE per family. */
  types: Map<string, PromType>;
  /** Malformed lines: 1-based line number and what was wrong (at most MAX_ERRORS kept). */
  errors: { line: number; message: string }[];
  /** Every malformed line, kept or not. */
  errorCount: number;
}

const MAX_ERRORS = 10;
const TYPES = new Set<string>(["counter", "gauge", "histogram", "summary", "untyped", "unknown", "gaugehistogram", "info", "stateset"]);

/** Suffixes a sample may add to its family's name, per family type. */
const SUFFIXES: Record<PromType, readonly string[]> = {
  histogram: ["_bucket", "_sum", "_count", "_created"],
  summary: ["_sum", "_count", "_created"],
  counter: ["_total", "_created"],
  gauge: [],
  untyped: [],
};

/** OpenMetrics types mapped onto the five the summaries know. */
function normType(t: string): PromType {
  if (t === "unknown" || t === "info" || t === "stateset") return t === "unknown" ? "untyped" : "gauge";
  if (t === "gaugehistogram") return "histogram";
  return t as PromType;
}

/** Go's ParseFloat words (case-insensitive) and plain decimals; null when not a number. */
export function parsePromFloat(s: string): number | null {
  if (s.length === 0) return null;
  const c = s.charCodeAt(0);
  // Letters and signs before letters: NaN, Inf, +Inf, -Inf in any case.
  if (c === 43 || c === 45 || c > 57) {
    const w = s.toLowerCase();
    if (w === "nan") return Number.NaN;
    if (w === "+inf" || w === "inf" || w === "+infinity" || w === "infinity") return Number.POSITIVE_INFINITY;
    if (w === "-inf" || w === "-infinity") return Number.NEGATIVE_INFINITY;
    if (c > 57) return null;
  }
  const v = Number(s);
  return Number.isNaN(v) ? null : v;
}

/** Unescapes a HELP docstring: `\\` and `\n` (any other backslash stays). */
function unescapeHelp(s: string): string {
  if (!s.includes("\\")) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === "\\" && i + 1 < s.length) {
      const n = s[i + 1]!;
      if (n === "\\" || n === "n") {
        out += n === "n" ? "\n" : "\\";
        i++;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 58;
}

class LineError extends Error {}

/** Reads a quoted string starting at s[i] === '"'; returns [value, index after the closing quote]. */
function readQuoted(s: string, i: number): [string, number] {
  let out = "";
  let j = i + 1;
  let start = j;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 34) return [out + s.slice(start, j), j + 1];
    if (c === 92) {
      out += s.slice(start, j);
      const n = s[j + 1];
      if (n === "n") out += "\n";
      else if (n === "\\") out += "\\";
      else if (n === '"') out += '"';
      else if (n === undefined) break;
      else out += `\\${n}`;
      j += 2;
      start = j;
      continue;
    }
    j++;
  }
  throw new LineError("unterminated quoted string");
}

/** Parses `{a="1",b="2"}` from s[i] === '{'; returns labels, the quoted name if any, and the index after '}'. */
function readLabels(s: string, i: number): [[string, string][], string | null, number] {
  const labels: [string, string][] = [];
  let quotedName: string | null = null;
  let j = i + 1;
  for (;;) {
    while (j < s.length && isSpace(s.charCodeAt(j))) j++;
    if (j >= s.length) throw new LineError("unterminated label set");
    if (s.charCodeAt(j) === 125) return [labels, quotedName, j + 1];
    let key: string;
    if (s.charCodeAt(j) === 34) {
      // A quoted label name, or (first, with no '=') the metric name itself (UTF-8 names).
      const [q, after] = readQuoted(s, j);
      j = after;
      while (j < s.length && isSpace(s.charCodeAt(j))) j++;
      if (s[j] !== "=") {
        if (labels.length > 0 || quotedName !== null) throw new LineError("quoted name in the wrong place");
        quotedName = q;
        if (s[j] === ",") j++;
        continue;
      }
      key = q;
    } else {
      const k0 = j;
      while (j < s.length && isNameChar(s.charCodeAt(j))) j++;
      if (j === k0) throw new LineError(`bad label name at column ${j + 1}`);
      key = s.slice(k0, j);
      while (j < s.length && isSpace(s.charCodeAt(j))) j++;
    }
    if (s[j] !== "=") throw new LineError(`expected '=' after label ${key}`);
    j++;
    while (j < s.length && isSpace(s.charCodeAt(j))) j++;
    if (s.charCodeAt(j) !== 34) throw new LineError(`label ${key}: value must be quoted`);
    const [value, after] = readQuoted(s, j);
    labels.push([key, value]);
    j = after;
    while (j < s.length && isSpace(s.charCodeAt(j))) j++;
    if (s[j] === ",") j++;
    else if (s[j] !== "}") throw new LineError(`expected ',' or '}' after label ${key}`);
  }
}

/** The family a sample name belongs to, given the declared types. */
function familyOf(name: string, types: Map<string, PromType>): [string, PromType] {
  const own = types.get(name);
  if (own !== undefined && own !== "histogram" && own !== "summary") return [name, own];
  for (const [suffix, kinds] of SUFFIX_OWNERS) {
    if (!name.endsWith(suffix)) continue;
    const fam = name.slice(0, -suffix.length);
    const t = types.get(fam);
    if (t !== undefined && kinds.has(t)) return [fam, t];
  }
  if (own !== undefined) return [name, own];
  return [name, "untyped"];
}

const SUFFIX_OWNERS: [string, Set<PromType>][] = (() => {
  const m = new Map<string, Set<PromType>>();
  for (const [t, sfx] of Object.entries(SUFFIXES) as [PromType, readonly string[]][]) for (const s of sfx) m.set(s, (m.get(s) ?? new Set()).add(t));
  return [...m.entries()];
})();

function parseSample(line: string, types: Map<string, PromType>): PromSample {
  let i = 0;
  let name: string;
  let labels: [string, string][] = [];
  if (line.charCodeAt(0) === 123) {
    const [l, q, after] = readLabels(line, 0);
    if (q === null) throw new LineError("missing metric name");
    name = q;
    labels = l;
    i = after;
  } else {
    while (i < line.length && isNameChar(line.charCodeAt(i))) i++;
    if (i === 0) throw new LineError("bad metric name");
    name = line.slice(0, i);
    while (i < line.length && isSpace(line.charCodeAt(i))) i++;
    if (line.charCodeAt(i) === 123) {
      const [l, q, after] = readLabels(line, i);
      if (q !== null) throw new LineError("metric name given twice");
      labels = l;
      i = after;
    }
  }
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  const v0 = i;
  while (i < line.length && !isSpace(line.charCodeAt(i))) i++;
  const value = parsePromFloat(line.slice(v0, i));
  if (value === null) throw new LineError(v0 === i ? `${name}: missing value` : `${name}: bad value "${line.slice(v0, i)}"`);
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  let timestampMs: number | null = null;
  if (i < line.length) {
    const t0 = i;
    while (i < line.length && !isSpace(line.charCodeAt(i))) i++;
    const t = Number(line.slice(t0, i));
    if (!Number.isFinite(t)) throw new LineError(`${name}: bad timestamp "${line.slice(t0, i)}"`);
    timestampMs = t;
    while (i < line.length && isSpace(line.charCodeAt(i))) i++;
    // OpenMetrics exemplars ("# {...} v") may follow; anything else is junk.
    if (i < line.length && line[i] !== "#") throw new LineError(`${name}: unexpected text after the timestamp`);
  }
  const [family, type] = familyOf(name, types);
  return { name, family, type, labels, value, timestampMs };
}

/** Parses one exposition body. */
export function parsePrometheus(text: string): PromParse {
  const out: PromParse = { samples: [], help: new Map(), types: new Map(), errors: [], errorCount: 0 };
  let lineNo = 0;
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    let end = text.indexOf("\n", pos);
    if (end < 0) end = n;
    lineNo++;
    let line = text.slice(pos, end);
    pos = end + 1;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    let s = 0;
    while (s < line.length && isSpace(line.charCodeAt(s))) s++;
    if (s > 0) line = line.slice(s);
    if (line.length === 0) continue;
    try {
      if (line.charCodeAt(0) === 35) {
        parseComment(line, out);
        continue;
      }
      out.samples.push(parseSample(line, out.types));
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      out.errorCount++;
      if (out.errors.length < MAX_ERRORS) out.errors.push({ line: lineNo, message: e.message });
    }
  }
  return out;
}

/** `# HELP name text`, `# TYPE name type`; other comments (and `# EOF`) are ignored. */
function parseComment(line: string, out: PromParse): void {
  let i = 1;
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  const k0 = i;
  while (i < line.length && !isSpace(line.charCodeAt(i))) i++;
  const keyword = line.slice(k0, i);
  if (keyword !== "HELP" && keyword !== "TYPE") return;
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  let name: string;
  if (line.charCodeAt(i) === 34) {
    const [q, after] = readQuoted(line, i);
    name = q;
    i = after;
  } else {
    const n0 = i;
    while (i < line.length && !isSpace(line.charCodeAt(i))) i++;
    name = line.slice(n0, i);
  }
  if (name.length === 0) throw new LineError(`# ${keyword} without a metric name`);
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  const rest = line.slice(i);
  if (keyword === "HELP") {
    out.help.set(name, unescapeHelp(rest));
    return;
  }
  const t = rest.trim().toLowerCase();
  if (!TYPES.has(t)) throw new LineError(`# TYPE ${name}: unknown type "${rest.trim()}"`);
  out.types.set(name, normType(t));
}

/** A label's value, or undefined. */
export function labelValue(labels: readonly [string, string][], key: string): string | undefined {
  for (const [k, v] of labels) if (k === key) return v;
  return undefined;
}
