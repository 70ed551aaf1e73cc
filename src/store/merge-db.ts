// The results.duckdb of a merged run: every table of the shards' files copied into one file, rows kept
// as they were (run_id and all), with a shard_index column on runs and requests. Requests are stored in
// the order they ended across all shards, as one run stores them. The shards' slice histograms are not
// copied: the merged run stores their sums (metrics/merge-histograms.ts). Statistics come from SQL over
// all the runs' rows, by the functions a run's own writer uses (so run/exports.ts computes them alike).
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { ScheduleOptions, ScheduleReport } from "../metrics/schedule-report.ts";
import type { SliceHistogram } from "../metrics/slice-histograms.ts";
import type { Summary, SummaryOptions } from "../metrics/summary.ts";
import { appendRow, createTableSql } from "./columns.ts";
import { type RunCounts, runCountsDb, scheduleReportDb } from "./schedule-db.ts";
import { SLICE_COLUMNS, type RunRow } from "./schema.ts";
import { type DbSliceSummary, summarizeSlicesDb } from "./slices-db.ts";
import { summarizeDb } from "./summary-db.ts";
import { sqlIdent, sqlString } from "./sql-text.ts";

/** DuckDB's buffer pool cap while merging. */
const MERGE_MEMORY_LIMIT = "1GB";

/** Tables that get a shard_index column (the others are joined to them by run_id). */
const SHARD_COLUMN_TABLES = new Set(["runs", "requests"]);
/** Stored per table in this order, so a merged file reads like one run's. */
const ROW_ORDER: Record<string, string> = { requests: `ORDER BY "end_ns", "shard_index"` };

export interface ShardFile {
  path: string;
  shardIndex: number;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export class MergedDb {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    private readonly aliases: string[],
  ) {}

  /** Creates `outPath` with every shard's rows; the shards stay attached (read-only) until close(). */
  static async create(outPath: string, shards: readonly ShardFile[]): Promise<MergedDb> {
    // Capped like a run's writer, a little higher for the sorts and joins over every shard (it spills past the cap).
    const instance = await DuckDBInstance.create(outPath, { memory_limit: MERGE_MEMORY_LIMIT });
    const conn = await instance.connect();
    const aliases = shards.map((_, i) => `shard${i}`);
    const db = new MergedDb(instance, conn, aliases);
    try {
      for (const [i, s] of shards.entries()) await conn.run(`ATTACH ${sqlString(s.path)} AS ${aliases[i]} (READ_ONLY)`);
      await db.copyTables(shards);
      await conn.run(createTableSql("slices", SLICE_COLUMNS));
      return db;
    } catch (e) {
      db.closeQuietly();
      throw e;
    }
  }

  /** Every table any shard has (slices aside), rows of all shards, schemas united by column name. */
  private async copyTables(shards: readonly ShardFile[]): Promise<void> {
    const found = await this.conn.runAndReadAll(
      `SELECT DISTINCT table_name FROM duckdb_tables() WHERE database_name IN (${this.aliases.map(sqlString).join(", ")}) AND schema_name = 'main' ORDER BY 1`,
    );
    for (const [name] of found.getRows()) {
      const table = String(name);
      if (table === "slices") continue;
      const withShard = SHARD_COLUMN_TABLES.has(table);
      const holders: string[] = [];
      for (const [i, a] of this.aliases.entries()) {
        const has = await this.conn.runAndReadAll(
          `SELECT count(*) FROM duckdb_tables() WHERE database_name = ${sqlString(a)} AND schema_name = 'main' AND table_name = ${sqlString(table)}`,
        );
        if (Number(has.getRows()[0]![0]) === 0) continue;
        const shard = withShard ? `, ${shards[i]!.shardIndex}::INTEGER AS shard_index` : "";
        holders.push(`SELECT *${shard} FROM ${a}.main.${sqlIdent(table)}`);
      }
      const union = holders.join(" UNION ALL BY NAME ");
      await this.conn.run(`CREATE TABLE ${sqlIdent(table)} AS SELECT * FROM (${union}) ${ROW_ORDER[table] ?? ""}`);
    }
  }

  /** Each shard's stored slice histograms (empty for a shard that never finished). */
  async shardSlices(): Promise<SliceHistogram[][]> {
    const out: SliceHistogram[][] = [];
    for (const a of this.aliases) {
      const has = await this.conn.runAndReadAll(
        `SELECT count(*) FROM duckdb_tables() WHERE database_name = ${sqlString(a)} AND schema_name = 'main' AND table_name = 'slices'`,
      );
      if (Number(has.getRows()[0]![0]) === 0) {
        out.push([]);
        continue;
      }
      const rows = await this.conn.runAndReadAll(
        `SELECT slice_index, slice_start_ns, slice_end_ns, metric, unit, scale, count, min, max, mean, p50, p90, p95, p99, hdr FROM ${a}.main.slices ORDER BY rowid`,
      );
      out.push(
        rows.getRows().map((r) => ({
          sliceIndex: num(r[0])!,
          sliceStartNs: num(r[1])!,
          sliceEndNs: num(r[2])!,
          tag: String(r[3]) as SliceHistogram["tag"],
          unit: String(r[4]),
          scale: num(r[5])!,
          count: num(r[6])!,
          min: num(r[7])!,
          max: num(r[8])!,
          mean: num(r[9])!,
          p50: num(r[10])!,
          p90: num(r[11])!,
          p95: num(r[12])!,
          p99: num(r[13])!,
          encoded: String(r[14]),
        })),
      );
    }
    return out;
  }

  /** summarize() of every run's profiling requests. `opts`: the ones the stored values were computed with. */
  summary(opts: SummaryOptions): Promise<Summary> {
    return summarizeDb(this.conn, opts);
  }

  /** Per-slice summaries of every run's profiling requests (their histograms are the shards', summed). */
  sliceSummaries(opts: SummaryOptions, sliceNs: number): Promise<DbSliceSummary[]> {
    return summarizeSlicesDb(this.conn, { ...opts, sliceNs });
  }

  /** The slice histograms of one run, built from its rows (a shard that never finished stored none). */
  async runSliceHistograms(runId: string, opts: SummaryOptions, sliceNs: number): Promise<SliceHistogram[]> {
    const out: SliceHistogram[] = [];
    await summarizeSlicesDb(this.conn, { ...opts, runId, sliceNs, onHistogram: (h) => out.push(h) });
    return out;
  }

  scheduleReport(o: ScheduleOptions): Promise<ScheduleReport> {
    return scheduleReportDb(this.conn, o);
  }

  counts(): Promise<RunCounts> {
    return runCountsDb(this.conn);
  }

  /** Numbers of the profiling requests a merged run's exports need beside the statistics. */
  async profilingSpan(): Promise<{ firstStartNs: number | null; lastEndNs: number | null; firstTurns: number; firstTurnSpanNs: number }> {
    const [[first, last, turns, span]] = (
      await this.conn.runAndReadAll(
        `SELECT min("start_ns") FILTER (WHERE "start_ns" > 0)::DOUBLE, max("end_ns")::DOUBLE,
           count(*) FILTER (WHERE "turn_index" = 0)::DOUBLE, (max("scheduled_ns") FILTER (WHERE "turn_index" = 0) - min("scheduled_ns") FILTER (WHERE "turn_index" = 0))::DOUBLE
         FROM requests WHERE "phase" = 'profiling'`,
      )
    ).getRows() as [[unknown, unknown, unknown, unknown]];
    return { firstStartNs: num(first), lastEndNs: num(last), firstTurns: num(turns) ?? 0, firstTurnSpanNs: num(span) ?? 0 };
  }

  /** The merged run's own row (shard_index NULL), beside the shards'. */
  async addRun(row: RunRow): Promise<void> {
    await this.conn.run(
      `INSERT INTO runs BY NAME SELECT $run_id AS run_id, $tool_version AS tool_version, $host AS host, $config::JSON AS config, $started_ns::BIGINT AS started_ns, $ended_ns::BIGINT AS ended_ns, NULL::INTEGER AS shard_index`,
      {
        run_id: row.run_id,
        tool_version: row.tool_version,
        host: row.host,
        config: row.config,
        started_ns: BigInt(Math.round(row.started_ns)),
        ended_ns: row.ended_ns === null ? null : BigInt(Math.round(row.ended_ns)),
      },
    );
  }

  async appendSlices(runId: string, rows: readonly SliceHistogram[]): Promise<void> {
    const a = await this.conn.createAppender("slices");
    for (const h of rows) appendRow(a, SLICE_COLUMNS, { run_id: runId, h });
    a.closeSync();
  }

  async close(): Promise<void> {
    for (const a of this.aliases) await this.conn.run(`DETACH ${a}`).catch(() => {});
    await this.conn.run("CHECKPOINT");
    this.closeQuietly();
  }

  private closeQuietly(): void {
    try {
      this.conn.closeSync();
      this.instance.closeSync();
    } catch {
      // already closed
    }
  }
}
