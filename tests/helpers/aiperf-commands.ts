// Reads tests/fixtures/aiperf-commands.txt (AIPerf command lines copied from its docs) and turns each
// command into llmbench argv: the shell's word splitting, then only the URL, the tokenizer and the
// entry's declared overrides changed.

export type Expectation =
  | { kind: "ok" }
  | { kind: "refused"; line: string }
  /** A flag another branch adds: ok once llmbench has it, else the table's refusal. */
  | { kind: "pending"; flag: string; owner: string };

export interface CommandEntry {
  source: string;
  notes: string[];
  /** "--flag value" overrides, in order. */
  sets: [string, string][];
  /** Files the docs create first: name -> lines. */
  files: Map<string, string[]>;
  expect: Expectation;
  /** The command as the docs print it (continuations joined). */
  command: string;
}

/** POSIX-shell word splitting for the quoting the docs use: '...', "..." (with \" and \\), backslashes. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed ' in: ${line}`);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      inWord = true;
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === "\\" && (line[i + 1] === '"' || line[i + 1] === "\\")) i++;
        word += line[i];
      }
      if (i >= line.length) throw new Error(`unclosed " in: ${line}`);
    } else if (c === "\\") {
      word += line[++i] ?? "";
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function parseExpect(text: string): Expectation {
  if (text === "ok") return { kind: "ok" };
  if (text.startsWith("refused ")) return { kind: "refused", line: text.slice("refused ".length) };
  const pending = /^pending (\S+) (\S+)$/.exec(text);
  if (pending) return { kind: "pending", flag: pending[1]!, owner: pending[2]! };
  throw new Error(`bad ## expect: ${text}`);
}

export function parseCommandFixture(text: string): CommandEntry[] {
  const entries: CommandEntry[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split("\n").filter((l) => l.trim() !== "" && !(l.startsWith("#") && !l.startsWith("## ")));
    if (lines.length === 0) continue;
    const e: CommandEntry = { source: "", notes: [], sets: [], files: new Map(), expect: { kind: "ok" }, command: "" };
    let expectSeen = false;
    const cmd: string[] = [];
    for (const l of lines) {
      const d = /^## (source|note|set|file|expect): (.*)$/.exec(l);
      if (!d) {
        cmd.push(l);
        continue;
      }
      const [, key, value] = d as unknown as [string, string, string];
      if (key === "source") e.source = value;
      else if (key === "note") e.notes.push(value);
      else if (key === "set") {
        const [flag, ...rest] = value.split(" ");
        e.sets.push([flag!, rest.join(" ")]);
      } else if (key === "file") {
        const [name, line] = value.split("\t") as [string, string];
        e.files.set(name, [...(e.files.get(name) ?? []), line]);
      } else {
        e.expect = parseExpect(value);
        expectSeen = true;
      }
    }
    if (!e.source || !expectSeen || cmd.length === 0) throw new Error(`fixture entry without source, expect or command:\n${block}`);
    e.command = cmd.join("\n").replace(/\\\n/g, " ");
    entries.push(e);
  }
  return entries;
}

/** Sets a flag's value (the word after it), or appends the flag; every spelling in `names` counts. */
function setFlag(argv: string[], names: readonly string[], value: string): string[] {
  const out = [...argv];
  let found = false;
  for (let i = 0; i < out.length; i++) {
    const a = out[i]!;
    const eq = names.find((n) => a.startsWith(`${n}=`));
    if (eq !== undefined) {
      out[i] = `${eq}=${value}`;
      found = true;
    } else if (names.includes(a)) {
      out[i + 1] = value;
      found = true;
    }
  }
  return found ? out : [...out, names[0]!, value];
}

/** `aiperf profile ...` -> llmbench argv with the mock's URL, the builtin tokenizer and the entry's overrides. */
export function llmbenchArgv(e: CommandEntry, url: string): string[] {
  const words = shellWords(e.command);
  if (words[0] !== "aiperf" || words[1] !== "profile") throw new Error(`not an aiperf profile command: ${e.command}`);
  let argv = ["profile", ...words.slice(2)];
  argv = setFlag(argv, ["--url", "-u"], url);
  argv = setFlag(argv, ["--tokenizer"], "builtin");
  for (const [flag, value] of e.sets) argv = setFlag(argv, [flag], value);
  return argv;
}
