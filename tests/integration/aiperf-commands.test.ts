// AIPerf's commands run unchanged: every command line of tests/fixtures/aiperf-commands.txt (copied from
// AIPerf's README, CLI reference and tutorials, and from the guide issue 16 quotes) through llmbench's CLI
// against the built-in mock, with only the URL and the tokenizer changed (and a few long runs shortened,
// as the fixture says). Each exits 0 and writes AIPerf's summary, or is refused with its one documented line.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/commands.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { aiperfForeignFlag } from "../../src/config/aiperf-flags.ts";
import { aliasesOf } from "../../src/config/flag-spec.ts";
import { PROFILE_FLAGS } from "../../src/config/profile-flags.ts";
import { startMockServer, type MockServerHandle } from "../../src/mock/server.ts";
import { type CommandEntry, llmbenchArgv, parseCommandFixture, shellWords } from "../helpers/aiperf-commands.ts";
import { fakeIo } from "../helpers/fake-io.ts";

const FIXTURE = join(import.meta.dir, "..", "fixtures", "aiperf-commands.txt");
const entries = parseCommandFixture(readFileSync(FIXTURE, "utf8"));

/** Commands run at once: most of a run is waiting (its duration, workers starting, files written). */
const PARALLEL_RUNS = 3;

interface Outcome {
  cwd: string;
  code: number;
  err: string;
}
/** Each entry's run, started in order by PARALLEL_RUNS lanes once the mock is up; each test awaits its own. */
const outcomes = entries.map(() => Promise.withResolvers<Outcome>());
// A run that throws fails its own test, not the file before that test awaits it.
for (const o of outcomes) o.promise.catch(() => {});

let mock: MockServerHandle;
let root = "";
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "llmbench-aiperf-commands-"));
  mock = await startMockServer({ port: 0, ttftMs: 0, itlMs: 0 });
  let next = 0;
  for (let lane = 0; lane < PARALLEL_RUNS; lane++)
    void (async () => {
      for (let i = next++; i < entries.length; i = next++) await runEntry(i).then(outcomes[i]!.resolve, outcomes[i]!.reject);
    })();
});
afterAll(async () => {
  await Promise.allSettled(outcomes.map((o) => o.promise));
  await mock?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function runEntry(i: number): Promise<Outcome> {
  const e = entries[i]!;
  const cwd = join(root, `cmd-${i + 1}`);
  mkdirSync(cwd);
  for (const [name, lines] of e.files) writeFileSync(join(cwd, name), `${lines.join("\n")}\n`);
  const io = fakeIo(cwd);
  const code = await runCli(llmbenchArgv(e, mock.url), COMMANDS, io);
  return { cwd, code, err: io.stderr.join("") };
}

const isLlmbenchFlag = (dashed: string): boolean => {
  const name = dashed.replace(/^--?/, "");
  return Object.entries(PROFILE_FLAGS).some(([flag, spec]) => flag === name || aliasesOf(spec).includes(name));
};

/** What the entry must do now: a pending flag is ok once its branch has made it an llmbench flag. */
function expected(e: CommandEntry): { code: number; problems: string[] } {
  const x = e.expect;
  if (x.kind === "ok") return { code: 0, problems: [] };
  if (x.kind === "refused") return { code: 2, problems: [x.line] };
  return isLlmbenchFlag(x.flag) ? { code: 0, problems: [] } : { code: 2, problems: [aiperfForeignFlag(x.flag)?.refusal ?? `no refusal for ${x.flag}`] };
}

/** Every file under dir with this name (a multi-run writes one per run). */
function findFiles(dir: string, name: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((p) => p === name || p.endsWith(`/${name}`));
}

describe("the fixture", () => {
  test("holds AIPerf's documented commands, each with its source and expectation", () => {
    expect(entries.length).toBeGreaterThanOrEqual(30);
    expect(entries.filter((e) => shellWords(e.command).slice(0, 2).join(" ") !== "aiperf profile")).toEqual([]);
    // An override is always explained.
    expect(entries.filter((e) => e.sets.length > 0 && e.notes.length === 0).map((e) => e.command)).toEqual([]);
  });
});

describe("AIPerf commands through llmbench", () => {
  entries.forEach((e, i) => {
    const title = `${String(i + 1).padStart(2, "0")} ${e.source}: ${e.command.replace(/\s+/g, " ").slice(0, 110)}`;
    test(title, async () => {
      const { cwd, code, err } = await outcomes[i]!.promise;
      const want = expected(e);
      const problems = err
        .split("\n")
        .filter((l) => l.startsWith("llmbench profile: ") && !/: ignored;/.test(l))
        .map((l) => l.slice("llmbench profile: ".length));
      expect({ code, problems: code === 0 ? [] : problems }).toEqual(want);
      // A run that went through wrote AIPerf's summary (one per run of a multi-run).
      expect(findFiles(cwd, "profile_export_aiperf.json").length > 0).toBe(want.code === 0);
    }, 90_000);
  });
});
