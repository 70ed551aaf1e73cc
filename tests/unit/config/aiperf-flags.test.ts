import { describe, expect, test } from "bun:test";
import { parseFlags } from "../../../src/cli/parse-flags.ts";
import { AIPERF_PROFILE_FLAGS, aiperfForeignFlag, aiperfSpelling } from "../../../src/config/aiperf-flags.ts";
import { aliasesOf } from "../../../src/config/flag-spec.ts";
import { PROFILE_FLAGS } from "../../../src/config/profile-flags.ts";

const FLAGS: Record<string, { type: string; alias?: string | readonly string[] }> = PROFILE_FLAGS;

/** The llmbench flag a spelling (without dashes) names, as the parser resolves it. */
function resolve(name: string): string | undefined {
  for (const [flag, spec] of Object.entries(FLAGS)) {
    const spellings = [flag, ...aliasesOf(spec as never)];
    if (spellings.includes(name)) return flag;
    if (spec.type === "boolean" && name.startsWith("no-") && spellings.includes(name.slice(3))) return flag;
  }
  return undefined;
}

describe("AIPerf flag table", () => {
  test("no spelling is listed twice", () => {
    const names = AIPERF_PROFILE_FLAGS.flatMap((f) => f.names.map(aiperfSpelling));
    expect(names.length).toBeGreaterThan(250);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  test("every accepted spelling is a spelling of the llmbench flag it names", () => {
    const rows = AIPERF_PROFILE_FLAGS.filter((f) => f.is.kind === "accepted").flatMap((f) =>
      f.names.map((n) => ({ n, want: f.is.kind === "accepted" ? f.is.flag : "", got: resolve(n) })),
    );
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.filter((r) => r.got !== r.want)).toEqual([]);
  });

  test("refused and ignored spellings are not llmbench flags (the parser would never consult the table)", () => {
    const names = AIPERF_PROFILE_FLAGS.filter((f) => f.is.kind === "refused" || f.is.kind === "ignored").flatMap((f) => [...f.names]);
    expect(names.length).toBeGreaterThan(100);
    expect(names.filter((n) => resolve(n) !== undefined)).toEqual([]);
  });

  test("a refusal names the spelling and the capability, in one line", () => {
    expect(aiperfForeignFlag("--wandb-project")?.refusal).toBe("--wandb-project: AIPerf's Weights & Biases upload is not supported by llmbench");
    expect(aiperfForeignFlag("-b")?.refusal).toBe("-b: AIPerf's client-side batching of several prompts per request is not supported by llmbench");
    expect(aiperfForeignFlag("--b")).toBeUndefined();
    expect(aiperfForeignFlag("--no-such-flag")).toBeUndefined();
  });
});

describe("parseFlags with AIPerf's spellings", () => {
  const parse = (argv: string[]) => parseFlags(argv, PROFILE_FLAGS, aiperfForeignFlag);

  test("the guide spellings map to llmbench flags", () => {
    const p = parse(["--timeslice-duration", "10", "--multi-run-count", "3", "--transport-type", "http", "--profile-export-file", "x"]);
    expect(p.problems).toEqual([]);
    expect(p.notes).toEqual([]);
    expect(p.values).toEqual({ "slice-duration": "10", "num-profile-runs": "3", transport: "http", "profile-export-prefix": "x" });
  });

  test("cosmetic flags are dropped with one note each, values and all", () => {
    const p = parse(["--verbose", "-v", "-vv", "--record-processors", "4", "--concurrency", "2", "--zmq-host=10.0.0.1"]);
    expect(p.problems).toEqual([]);
    expect(p.values).toEqual({ concurrency: "2" });
    expect(p.notes).toHaveLength(4);
    expect(p.notes[0]).toStartWith("--verbose: ignored; llmbench has no log levels");
  });

  test("refused flags give their one line and take their values with them", () => {
    const p = parse(["--audio-depths", "16", "24", "--audio-length-mean", "2", "--concurrency", "3", "--reset-kv-cache"]);
    expect(p.values).toEqual({ concurrency: "3" });
    expect(p.problems).toEqual([
      "--audio-depths: AIPerf's synthetic audio inputs (multimodal requests) is not supported by llmbench",
      "--audio-length-mean: AIPerf's synthetic audio inputs (multimodal requests) is not supported by llmbench",
      "--reset-kv-cache: AIPerf's KV-cache reset requests is not supported by llmbench",
    ]);
  });

  test("a flag neither tool has is still unknown", () => {
    expect(parse(["--concurrensy", "3"]).problems).toEqual(["unknown flag --concurrensy (did you mean --concurrency?)"]);
  });
});
