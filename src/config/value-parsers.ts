// Parsers of the free-form profile flag values (AIPerf syntax): headers, extra inputs, percentiles.

/** `Name:Value` pairs or a JSON object (AIPerf's -H syntax). */
export function parseHeaders(items: string[], problems: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    for (const [k, v] of Object.entries(parsePairsOrJson(item, "--header", problems))) {
      if (/[\r\n]/.test(String(v)) || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(k)) {
        problems.push(`--header "${k}": not a valid header name or value`);
        continue;
      }
      out[k.toLowerCase()] = String(v);
    }
  }
  return out;
}

/** AIPerf's value coercion for --extra-inputs key:value pairs. */
export function coerceValue(v: string): unknown {
  const lower = v.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (lower === "none" || lower === "null") return null;
  if (/^-?\d+$/.test(v)) return Number(v);
  if (/^-?\d*\.\d+$|^-?\d+\.\d*$/.test(v)) return Number(v);
  return v;
}

function parsePairsOrJson(item: string, flag: string, problems: string[]): Record<string, unknown> {
  const t = item.trim();
  if (t.startsWith("{")) {
    try {
      const j = JSON.parse(t) as unknown;
      if (j && typeof j === "object" && !Array.isArray(j)) return j as Record<string, unknown>;
    } catch {
      // reported below
    }
    problems.push(`${flag} must be key:value or a JSON object (was ${JSON.stringify(item)})`);
    return {};
  }
  const colon = t.indexOf(":");
  if (colon <= 0) {
    problems.push(`${flag} must be key:value or a JSON object (was ${JSON.stringify(item)})`);
    return {};
  }
  return { [t.slice(0, colon).trim()]: coerceValue(t.slice(colon + 1).trim()) };
}

export function parseExtraInputs(items: string[], problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items) Object.assign(out, parsePairsOrJson(item, "--extra-inputs", problems));
  return out;
}

export function parsePercentiles(items: string[], problems: string[]): number[] {
  const out: number[] = [];
  for (const item of items) {
    for (const part of item.split(/[,\s]+/).filter(Boolean)) {
      const p = Number(part);
      if (!Number.isFinite(p) || p <= 0 || p >= 100) problems.push(`--percentiles must be numbers between 0 and 100 (was "${part}")`);
      else out.push(p);
    }
  }
  return out;
}
