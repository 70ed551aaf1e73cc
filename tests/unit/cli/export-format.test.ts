import { describe, expect, test } from "bun:test";
import { exportTarget } from "../../../src/cli/export-format.ts";
import type { ExportFormat } from "../../../src/store/read-db.ts";

describe("exportTarget", () => {
  const cases: [string, ExportFormat | undefined, string | undefined, ReturnType<typeof exportTarget>][] = [
    ["nothing given: Parquet named after the table", undefined, undefined, { format: "parquet", output: "requests.parquet" }],
    ["--format alone names the file", "csv", undefined, { format: "csv", output: "requests.csv" }],
    ["--format jsonl alone", "jsonl", undefined, { format: "jsonl", output: "requests.jsonl" }],
    ["-o .csv", undefined, "out.csv", { format: "csv", output: "out.csv" }],
    ["-o .CSV (case)", undefined, "OUT.CSV", { format: "csv", output: "OUT.CSV" }],
    ["-o .parquet", undefined, "dir/out.parquet", { format: "parquet", output: "dir/out.parquet" }],
    ["-o .jsonl", undefined, "out.jsonl", { format: "jsonl", output: "out.jsonl" }],
    ["-o .ndjson", undefined, "out.ndjson", { format: "jsonl", output: "out.ndjson" }],
    ["-o .json", undefined, "out.json", { format: "json", output: "out.json" }],
    ["--format agreeing with -o", "csv", "out.csv", { format: "csv", output: "out.csv" }],
    ["--format with an extension that says nothing", "csv", "out.txt", { format: "csv", output: "out.txt" }],
    ["--format with no extension", "parquet", "out", { format: "parquet", output: "out" }],
    [
      "--format contradicting -o",
      "parquet",
      "out.csv",
      { problem: "--format parquet does not match -o out.csv (.csv is csv); drop --format or change the extension" },
    ],
    [
      "json vs jsonl",
      "json",
      "out.ndjson",
      { problem: "--format json does not match -o out.ndjson (.ndjson is jsonl); drop --format or change the extension" },
    ],
    [
      "unknown extension and no --format",
      undefined,
      "out.dat",
      { problem: '-o out.dat: cannot tell the format from ".dat"; use .parquet, .csv, .jsonl (.ndjson) or .json, or give --format' },
    ],
    [
      "no extension and no --format",
      undefined,
      "out",
      { problem: '-o out: cannot tell the format from "no extension"; use .parquet, .csv, .jsonl (.ndjson) or .json, or give --format' },
    ],
  ];
  for (const [name, format, output, expected] of cases) {
    test(name, () => expect(exportTarget("requests", format, output)).toEqual(expected));
  }
});
