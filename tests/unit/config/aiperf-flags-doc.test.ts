// docs/aiperf-compat.md's flag table is generated from src/config/aiperf-flags.ts: one source of truth.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AIPERF_PROFILE_FLAGS, aiperfSpelling } from "../../../src/config/aiperf-flags.ts";
import { aiperfFlagsMarkdown, countsByKind, FLAGS_BEGIN, FLAGS_END } from "../../../src/config/aiperf-flags-doc.ts";

const doc = readFileSync(join(import.meta.dir, "..", "..", "..", "docs", "aiperf-compat.md"), "utf8");

describe("docs/aiperf-compat.md", () => {
  test("the flag table is the one generated from the table (npx bun scripts/aiperf-compat-doc.ts)", () => {
    const begin = doc.indexOf(FLAGS_BEGIN);
    const end = doc.indexOf(FLAGS_END);
    expect(begin).toBeGreaterThan(0);
    expect(doc.slice(begin, end + FLAGS_END.length)).toBe(aiperfFlagsMarkdown());
  });

  test("every AIPerf spelling has a row", () => {
    const spellings = AIPERF_PROFILE_FLAGS.flatMap((f) => f.names.map(aiperfSpelling));
    expect(spellings.length).toBeGreaterThan(250);
    expect(spellings.filter((s) => !doc.includes(`\`${s}\``))).toEqual([]);
  });

  test("the counts add up", () => {
    const n = countsByKind();
    expect(n.accepted + n.refused + n.ignored).toBe(AIPERF_PROFILE_FLAGS.length);
  });
});
