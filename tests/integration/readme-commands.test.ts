// Every `llmbench ...` command in the README's code blocks runs, in order, against the built-in mock in
// an empty directory and exits 0: what a new user copies works. Commands are adapted only where the
// README's target does not exist here (a GPU server, the network, long runs), each change listed with
// its reason below. None is skipped: each one needing a GPU server or the network runs adapted.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/commands.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { type MockProcess, spawnMock } from "../helpers/mock-process.ts";

const README = readFileSync(join(import.meta.dir, "..", "..", "README.md"), "utf8");

/** Splits shell text into commands (argv lists): quotes, backslash escapes and line continuations, `#` comments, `&&` / `;`, `|`; `> file` dropped. */
export function shellCommands(text: string): string[][] {
  const commands: string[][] = [];
  let argv: string[] = [];
  let word: string | null = null;
  const endWord = () => {
    if (word !== null) argv.push(word);
    word = null;
  };
  const endCommand = () => {
    endWord();
    if (argv.length > 0) commands.push(argv);
    argv = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\\") {
      const next = text[++i];
      if (next !== undefined && next !== "\n") word = (word ?? "") + next;
    } else if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      word = (word ?? "") + text.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      let s = "";
      for (i++; text[i] !== '"'; i++) {
        if (text[i] === "\\" && '"\\$`\n'.includes(text[i + 1]!)) i++;
        if (text[i] !== "\n" || text[i - 1] !== "\\") s += text[i];
      }
      word = (word ?? "") + s;
    } else if (ch === "#" && word === null) {
      while (i + 1 < text.length && text[i + 1] !== "\n") i++;
    } else if (ch === "\n" || ch === ";" || ch === "|") endCommand();
    else if (ch === ">" && word === null) {
      // A redirection: the command ends here and the file name is no argument.
      endCommand();
      while (text[i + 1] === " ") i++;
      while (i + 1 < text.length && !" \n;".includes(text[i + 1]!)) i++;
    } else if (ch === "&" && text[i + 1] === "&") {
      i++;
      endCommand();
    } else if (ch === " " || ch === "\t") endWord();
    else word = (word ?? "") + ch;
  }
  endCommand();
  return commands;
}

/** The `llmbench` commands of the README's ```sh blocks, in order, without the program name. */
function readmeCommands(): string[][] {
  const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap(shellCommands).flatMap((argv) => (argv[0] === "llmbench" || argv[0] === "./llmbench" ? [argv.slice(1)] : []));
}

// How a README command is changed to run here, and why:
//  - -u/--url: the mock's URL (the README's servers do not exist here); added to profile commands without one
//  - --tokenizer: builtin (a model name or local directory would need the network or files not here)
//  - --request-count: at most 8, and 4 where a profile command has no bound (a short test)
//  - --benchmark-duration / --warmup-request-count / --request-rate-ramp-duration / --request-cancellation-delay: 1 s / 2 / 0.5 s / 0.05 s
//  - --isl at most 128, --osl at most 16 (a short test)
//  - --num-profile-runs 2, --concurrency-max at most 32 (fewer runs in a repeat or a search)
//  - profile without --artifact-dir: its own artifacts/readme-N (two README runs share a default directory name)
//  - mock --port 8000: --port 0, stopped with SIGINT once it answers /health
//  - demo: --request-count 32; profile: --ui none (no progress line)
//  - merge runs after the profile runs it reads, with the queries and exports
//  - --start-at: one instant a few seconds after this file loads, the same for every shard (the README's is a placeholder)
//  - --input-file trace.jsonl / chats.jsonl: small files written here first

const START_AT = new Date(Date.now() + 5000).toISOString();

const CAPS: Record<string, (v: string) => string> = {
  "--start-at": () => START_AT,
  "--request-count": (v) => String(Math.min(Number(v), 8)),
  "--benchmark-duration": () => "1",
  "--warmup-request-count": () => "2",
  "--request-rate-ramp-duration": () => "0.5",
  "--request-cancellation-delay": () => "0.05",
  "--isl": (v) => String(Math.min(Number(v), 128)),
  "--osl": (v) => String(Math.min(Number(v), 16)),
  "--tokenizer": () => "builtin",
  "--num-profile-runs": () => "2",
  "--concurrency-max": (v) => String(Math.min(Number(v), 32)),
};

/** Profile runs at once: most of a run's time is waiting (workers starting, files written). */
const PARALLEL_RUNS = 4;

let runIndex = 0;
function adapt(argv: readonly string[], mockUrl: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const cap = CAPS[a];
    if (a === "-u" || a === "--url") out.push(a, mockUrl), i++;
    else if (cap) out.push(a, cap(argv[++i]!));
    else if (argv[0] === "mock" && a === "--port") out.push(a, "0"), i++;
    else out.push(a);
  }
  const has = (flag: string) => out.includes(flag);
  if (out[0] === "profile") {
    if (!has("-u") && !has("--url")) out.push("-u", mockUrl);
    if (!has("--tokenizer")) out.push("--tokenizer", "builtin");
    if (!has("--osl") && !has("--seq-dist") && !has("--input-file")) out.push("--osl", "16");
    if (!has("--request-count") && !has("--benchmark-duration") && !has("--input-file")) out.push("--request-count", "4");
    if (!has("--artifact-dir")) out.push("--artifact-dir", `artifacts/readme-${runIndex++}`);
    out.push("--ui", "none");
  }
  if (out[0] === "demo") out.push("--request-count", "32");
  return out;
}

let dir = "";
let mock: MockProcess;
const ran: { argv: string[]; code: number; out: string; err: string }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "llmbench-readme-"));
  // In its own process: in this one its timers waited on the runs' main-thread work (a search's TTFT
  // SLO of 200 ms failed in CI against this 10 ms mock).
  mock = await spawnMock(["--ttft-ms", "10", "--itl-ms", "2"]);
  // The input files the README's examples read.
  const trace = [0, 100, 100, 400, 900].map((t, i) => ({ timestamp: t, input_length: i % 2 ? 900 : 400, output_length: 4, hash_ids: i % 2 ? [1, 2] : [1] }));
  writeFileSync(join(dir, "trace.jsonl"), `${trace.map((l) => JSON.stringify(l)).join("\n")}\n`);
  const chats = [
    { session_id: "a", turns: [{ text: "Hello there" }, { text: "Tell me more", delay: 10 }] },
    { session_id: "b", turns: [{ text: "One two three" }] },
  ];
  writeFileSync(join(dir, "chats.jsonl"), `${chats.map((l) => JSON.stringify(l)).join("\n")}\n`);
});

afterAll(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ argv: string[]; code: number; out: string; err: string }> {
  const io = fakeIo(dir, { COLUMNS: "80" });
  let code: number;
  if (argv[0] === "mock") {
    const done = runCli(argv, COMMANDS, io);
    while (io.stdout.length === 0) await Bun.sleep(10);
    const url = io.stdout[0]!.trim();
    expect((await fetch(`${url}/health`)).status).toBe(200);
    io.raise("SIGINT");
    code = await done;
  } else code = await runCli(argv, COMMANDS, io);
  const r = { argv, code, out: io.stdout.join(""), err: io.stderr.join("") };
  ran.push(r);
  return r;
}

describe("README commands", () => {
  test("the shell splitter keeps quoted SQL whole, across lines, and drops comments", () => {
    expect(shellCommands(`# a comment\nllmbench query runs/a \\\n  "select 1\n   as x" --format csv # trailing\nnpm ci && npm test\n`)).toEqual([
      ["llmbench", "query", "runs/a", "select 1\n   as x", "--format", "csv"],
      ["npm", "ci"],
      ["npm", "test"],
    ]);
    expect(shellCommands(`llmbench profile --extra-inputs '{"t": 0}' -H "X-T:b"`)).toEqual([
      ["llmbench", "profile", "--extra-inputs", '{"t": 0}', "-H", "X-T:b"],
    ]);
    expect(shellCommands(`llmbench k8s job -- -m x > a.yaml\nllmbench k8s job | kubectl apply -f -`)).toEqual([
      ["llmbench", "k8s", "job", "--", "-m", "x"],
      ["llmbench", "k8s", "job"],
      ["kubectl", "apply", "-f", "-"],
    ]);
  });

  test("every llmbench command in the README runs against the mock and exits 0", async () => {
    const commands = readmeCommands();
    // The README's examples: help, profile, query, export, merge, k8s (prints only), mock and demo, all of them.
    expect(commands.length).toBeGreaterThanOrEqual(15);
    expect([...new Set(commands.map((c) => c[0]))].sort()).toEqual(["--help", "demo", "export", "k8s", "merge", "mock", "profile", "query"]);
    // The sweep reads runs/c8 and runs/c32 too: the README's c16 run at --concurrency 8 and 32.
    const c16 = commands.find((c) => c[0] === "profile" && c.includes("runs/c16"))!;
    const sweepRuns = ["8", "32"].map((c) => c16.map((a, i) => (c16[i - 1] === "--concurrency" ? c : a === "runs/c16" ? `runs/c${c}` : a)));
    // Runs write their own directories, so they go first, a few at a time; then merges, queries and exports in README order.
    const afterRuns = (c: string[]) => c[0] === "query" || c[0] === "export" || c[0] === "merge";
    const runs = [...commands.filter((c) => !afterRuns(c)), ...sweepRuns].map((c) => adapt(c, mock.url));
    const reads = commands.filter(afterRuns).map((c) => adapt(c, mock.url));
    // A capacity search's exit code depends on latency SLOs, and other runs' work in this process would
    // delay its workers: searches run alone, after the others.
    const alone = (c: string[]) => c.includes("--search-recipe");
    const queue = runs.filter((c) => !alone(c));
    await Promise.all(
      Array.from({ length: PARALLEL_RUNS }, async () => {
        for (let argv = queue.shift(); argv !== undefined; argv = queue.shift()) await run(argv);
      }),
    );
    const searches = runs.filter(alone);
    expect(searches.length).toBeGreaterThanOrEqual(1);
    for (const argv of searches) await run(argv);
    for (const argv of reads) await run(argv);
    expect(ran.length).toBe(commands.length + 2);
    const failed = ran.filter((r) => r.code !== 0).map((r) => ({ argv: r.argv.join(" "), code: r.code, err: r.err }));
    expect(failed).toEqual([]);
  }, 120_000);

  test("what the README promises of those runs", async () => {
    const out = (pred: (argv: string[]) => boolean) => ran.find((r) => pred(r.argv))!.out;
    // --percentiles 99.9 reaches the console, and the table fits 80 columns.
    const p999 = out((a) => a.includes("--percentiles"));
    expect(p999).toContain(" p99.9 ");
    const tableLines = p999.split("\n").filter((l) => /[┃│┏┗└┡]/.test(l));
    expect(tableLines.length).toBeGreaterThan(10);
    expect(tableLines.filter((l) => l.length > 80)).toEqual([]);
    // The sweep comes back ordered by concurrency, as numbers, whatever order the runs are given in.
    const sweepArgv = ran.find((r) => r.argv[0] === "query" && r.argv.includes("runs/c32"))!.argv;
    const reversed = sweepArgv.map((a) => (a === "runs/c8" ? "runs/c32" : a === "runs/c32" ? "runs/c8" : a));
    for (const sweep of [out((a) => a === sweepArgv), (await run(reversed)).out]) {
      const conc = [...sweep.matchAll(/^ *(\d+) +[\d.]+$/gm)].map((m) => Number(m[1]));
      expect(conc).toEqual([8, 16, 32]);
    }
    // The time slices exist in runs/c16.
    expect(out((a) => a[0] === "query" && a.some((x) => x.includes("from slices")))).toMatch(/^ *0 +[\d.]+$/m);
  });

  test("every README query over requests leaves warmup out, as the statistics do", () => {
    const sqls = readmeCommands()
      .filter((c) => c[0] === "query")
      .flatMap((c) => c.filter((a) => /\bfrom requests\b/i.test(a)));
    expect(sqls.length).toBeGreaterThanOrEqual(4);
    expect(sqls.filter((q) => !/\bphase = 'profiling'/.test(q))).toEqual([]);
  });
});
