// Which format `export` writes: --format, else the -o file's extension, else Parquet. A --format that
// contradicts the extension is refused rather than writing, say, Parquet bytes into out.csv.
import { extname } from "node:path";
import type { ExportFormat } from "../store/read-db.ts";

export const EXPORT_FORMATS = ["parquet", "csv", "jsonl", "json"] as const satisfies readonly ExportFormat[];

const BY_EXTENSION: Record<string, ExportFormat> = {
  ".parquet": "parquet",
  ".csv": "csv",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".json": "json",
};

const EXTENSION: Record<ExportFormat, string> = { parquet: "parquet", csv: "csv", jsonl: "jsonl", json: "json" };

export type ExportTarget = { format: ExportFormat; output: string } | { problem: string };

/** The format and file name to write, or the one-line problem with the flags. */
export function exportTarget(table: string, format: ExportFormat | undefined, output: string | undefined): ExportTarget {
  if (output === undefined) {
    const f = format ?? "parquet";
    return { format: f, output: `${table}.${EXTENSION[f]}` };
  }
  const ext = extname(output).toLowerCase();
  const implied = BY_EXTENSION[ext];
  if (format !== undefined && implied !== undefined && implied !== format) {
    return { problem: `--format ${format} does not match -o ${output} (${ext} is ${implied}); drop --format or change the extension` };
  }
  const f = format ?? implied;
  if (f === undefined) {
    return { problem: `-o ${output}: cannot tell the format from "${ext || "no extension"}"; use .parquet, .csv, .jsonl (.ndjson) or .json, or give --format` };
  }
  return { format: f, output };
}
