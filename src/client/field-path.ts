// The part of JMESPath that names a field: `a.b[0].c`, `"quoted key"`, negative indices (`[-1]`).
// AIPerf's template endpoint takes a JMESPath response_field; field paths are what is used in
// practice (generated_text, choices[0].message.content, data[0].embedding), and anything beyond them
// is refused with one line rather than evaluated differently.

export type PathStep = string | number;

/** The steps of `path`, or null when it is not a field path. */
export function parseFieldPath(path: string): PathStep[] | null {
  const steps: PathStep[] = [];
  let i = 0;
  const n = path.length;
  let expectField = true;
  while (i < n) {
    const c = path[i]!;
    if (c === "[") {
      // `a.[0]` is a JMESPath multiselect, not an index.
      if (i > 0 && path[i - 1] === ".") return null;
      const close = path.indexOf("]", i);
      if (close === -1) return null;
      const inner = path.slice(i + 1, close).trim();
      if (!/^-?\d+$/.test(inner)) return null;
      steps.push(Number(inner));
      i = close + 1;
      expectField = false;
      continue;
    }
    if (c === ".") {
      if (expectField) return null;
      i++;
      expectField = true;
      if (i >= n) return null;
      continue;
    }
    if (!expectField) return null;
    if (c === '"') {
      const close = path.indexOf('"', i + 1);
      if (close === -1) return null;
      steps.push(path.slice(i + 1, close));
      i = close + 1;
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(path.slice(i));
      if (m === null) return null;
      steps.push(m[0]);
      i += m[0].length;
    }
    expectField = false;
  }
  return steps.length > 0 && !expectField ? steps : null;
}

/** The value at `steps` in `v`, or undefined (JMESPath's null) when any step misses. */
export function atPath(v: unknown, steps: readonly PathStep[]): unknown {
  let cur = v;
  for (const s of steps) {
    if (typeof s === "number") {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[s < 0 ? cur.length + s : s];
    } else {
      if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined;
      cur = (cur as Record<string, unknown>)[s];
    }
    if (cur === undefined || cur === null) return undefined;
  }
  return cur;
}
