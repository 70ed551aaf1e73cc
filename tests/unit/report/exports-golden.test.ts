import { recordValues } from "../../../src/metrics/record-values.ts";
import { describe, expect, test } from "bun:test";
import { summarize } from "../../../src/metrics/summary.ts";
import { consoleTable } from "../../../src/report/console-table.ts";
import { profileExportCsv } from "../../../src/report/profile-csv.ts";
import { profileExportJson } from "../../../src/report/profile-json.ts";
import { jsonlLine } from "../../../src/report/profile-jsonl.ts";
import streaming from "./golden/streaming.json" with { type: "json" };
import nonStreaming from "./golden/non-streaming.json" with { type: "json" };
import { START_NS, scenarioOptions, scenarioRecords } from "./scenario.ts";

// Goldens come from golden/aiperf_reference.py (AIPerf 0.6.0's arithmetic and writers, the summary JSON in schema 1.5: numpy, pydantic,
// orjson, csv, rich) run on the same records; every byte must match.
interface Golden {
  jsonl: string;
  json: string;
  csv: string;
  console: string;
}

const jsonOpts = {
  toolVersion: "9.9.9",
  benchmarkId: "bench-1",
  inputConfig: { endpoint: { model_names: ["m"], streaming: true }, loadgen: { concurrency: 4 }, temperature: 0.5 },
  wasCancelled: false,
  startNs: START_NS,
  endNs: START_NS + 75_432_100,
  utcOffsetMinutes: () => 0,
  runInfo: {
    benchmarkId: "bench-1",
    sweepId: null,
    randomSeed: 0,
    trial: 0,
    runLabel: "run_0001",
    variationLabel: "base",
    variationIndex: 0,
    variationValues: {},
    cliCommand: null,
  },
};

function check(name: string, golden: Golden, opts: Parameters<typeof summarize>[1]) {
  describe(name, () => {
    const records = scenarioRecords();
    const summary = summarize(records, opts);
    test("profile_export.jsonl", () => {
      // As the run writes it: profiling records only, a line each unless AIPerf would skip the record.
      const lines = records.filter((r) => r.phase === "profiling").map((r) => jsonlLine(r, recordValues(r, opts)));
      expect(lines.map((l) => (l === null ? "" : `${l}\n`)).join("")).toBe(golden.jsonl);
    });
    test("profile_export_aiperf.json", () => expect(profileExportJson(summary, jsonOpts)).toBe(golden.json));
    test("profile_export_aiperf.csv", () => expect(profileExportCsv(summary)).toBe(golden.csv));
    test("console table", () => expect(consoleTable(summary)).toBe(golden.console));
  });
}

check("streaming run with goodput and p99.9 (byte-identical to the AIPerf reference)", streaming, scenarioOptions());
check("non-streaming run (byte-identical to the AIPerf reference)", nonStreaming, { streaming: false });
