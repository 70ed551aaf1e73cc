// Rows for one table gathered column by column in typed arrays and handed to DuckDB a data chunk at a
// time (up to 2,048 rows): one native call per column per chunk, where appendRow makes one per value.
// Every value still comes from the table's Column list (columns.ts), so schema and writes agree.
// Numbers are copied into the chunk's vectors as raw little-endian bytes; strings go in one by one.
// Measured on the main thread of a 20,000-request run, appendRow's calls took ~30% of its time
// (append_double, append_int32, append_varchar, end_row); 200,000 chunk rows in isolation cost 1.2 us
// a row that way and 0.6 here, 0.34 of it the one string a row (the run id). A text column whose rows
// all hold the same string (the run id of every chunk row) goes in as one constant value instead.
import duckdb from "@duckdb/node-bindings";
import { type DuckDBAppender, DuckDBDataChunk, DuckDBTypeId } from "@duckdb/node-api";
import type { Column, ColumnType } from "./columns.ts";

/** The DuckDB type a column's raw bytes are laid out for (JSON is VARCHAR underneath). */
const TYPE_IDS: Record<ColumnType, DuckDBTypeId> = {
  VARCHAR: DuckDBTypeId.VARCHAR,
  JSON: DuckDBTypeId.VARCHAR,
  INTEGER: DuckDBTypeId.INTEGER,
  BIGINT: DuckDBTypeId.BIGINT,
  DOUBLE: DuckDBTypeId.DOUBLE,
  BOOLEAN: DuckDBTypeId.BOOLEAN,
};

/** Rows a DuckDB vector holds (duckdb_vector_size: 2,048 in every build). */
const ROWS = duckdb.vector_size();
const TWO_32 = 2 ** 32;
const INT64_LIMIT = 2 ** 63;

/** One column's values for the chunk being filled, and which of them are NULL. */
interface ColumnBuffer {
  /** Raw values: INTEGER one int32 a row, BIGINT two (low word, high word), DOUBLE a float64, BOOLEAN a byte. */
  readonly data: Int32Array | Float64Array | Uint8Array | null;
  /** VARCHAR and JSON: the texts, assigned into the vector at flush. */
  readonly texts: (string | null)[] | null;
  /** DuckDB's validity mask: bit r of word r/32 set = row r holds a value. */
  readonly valid: Uint32Array;
  /** Some row of this chunk is NULL (otherwise the mask is left alone). */
  hasNull: boolean;
  /** Text columns: the last value handed over as a constant. */
  constant: { text: string; value: duckdb.Value } | null;
}

/** The string every one of the first `n` texts is, or null. */
function sameText(texts: readonly (string | null)[], n: number): string | null {
  const first = texts[0];
  if (typeof first !== "string") return null;
  for (let r = 1; r < n; r++) if (texts[r] !== first) return null;
  return first;
}

export class ColumnBatch<R> {
  private readonly chunk: DuckDBDataChunk;
  private readonly buffers: ColumnBuffer[];
  private rows = 0;

  constructor(
    private readonly appender: DuckDBAppender,
    private readonly columns: readonly Column<R>[],
  ) {
    if (appender.columnCount !== columns.length) throw new Error(`appender has ${appender.columnCount} columns, the table's list ${columns.length}`);
    const types = columns.map((_, i) => appender.columnType(i));
    // The bytes are copied unchecked: a table whose column is not the type the list says would be
    // written past its vector's end.
    columns.forEach((c, i) => {
      if (types[i]!.typeId !== TYPE_IDS[c.type]) throw new Error(`column ${c.name} is ${types[i]} in the table, ${c.type} in the list`);
    });
    this.chunk = DuckDBDataChunk.create(types);
    this.buffers = columns.map((c) => ({
      data:
        c.type === "INTEGER"
          ? new Int32Array(ROWS)
          : c.type === "BIGINT"
            ? new Int32Array(2 * ROWS)
            : c.type === "DOUBLE"
              ? new Float64Array(ROWS)
              : c.type === "BOOLEAN"
                ? new Uint8Array(ROWS)
                : null,
      texts: c.type === "VARCHAR" || c.type === "JSON" ? [] : null,
      valid: new Uint32Array(ROWS / 32).fill(0xffffffff),
      hasNull: false,
      constant: null,
    }));
  }

  /** Rows added and not yet handed to the appender. */
  get pending(): number {
    return this.rows;
  }

  /** Adds one row (a non-finite number or a BIGINT outside int64 is NULL); hands a full chunk over and says so. */
  add(row: R): boolean {
    const r = this.rows;
    try {
      this.fill(row, r);
    } catch (e) {
      // The row is not added: its NULL bits go back to valid, as the next row there expects.
      for (const b of this.buffers) b.valid[r >>> 5]! |= 1 << (r & 31);
      throw e;
    }
    if (++this.rows < ROWS) return false;
    this.flush();
    return true;
  }

  private fill(row: R, r: number): void {
    for (let i = 0; i < this.columns.length; i++) {
      const c = this.columns[i]!;
      const b = this.buffers[i]!;
      const v = c.get(row);
      if (v === null || (typeof v === "number" && !Number.isFinite(v))) {
        this.setNull(b, r);
        continue;
      }
      switch (c.type) {
        case "VARCHAR":
        case "JSON":
          b.texts![r] = String(v);
          break;
        case "BIGINT": {
          const x = Math.round(Number(v));
          if (x >= INT64_LIMIT || x < -INT64_LIMIT) {
            this.setNull(b, r);
            break;
          }
          const d = b.data as Int32Array;
          d[2 * r] = x; // an Int32Array keeps x modulo 2^32: the low word's bits
          // Exact for every integral double: dividing by 2^32 and flooring only moves the exponent.
          d[2 * r + 1] = Math.floor(x / TWO_32);
          break;
        }
        case "INTEGER":
          (b.data as Int32Array)[r] = Math.round(Number(v));
          break;
        case "DOUBLE":
          (b.data as Float64Array)[r] = Number(v);
          break;
        case "BOOLEAN":
          (b.data as Uint8Array)[r] = v ? 1 : 0;
          break;
      }
    }
  }

  /** Hands the rows added so far to the appender (its own flushSync makes them durable). */
  flush(): void {
    const n = this.rows;
    if (n === 0) return;
    this.rows = 0;
    try {
      const raw = this.chunk.chunk;
      duckdb.data_chunk_reset(raw);
      for (let i = 0; i < this.columns.length; i++) {
        const b = this.buffers[i]!;
        const vector = duckdb.data_chunk_get_vector(raw, i);
        if (b.data !== null) {
          const width = b.data.BYTES_PER_ELEMENT * (b.data.length / ROWS);
          duckdb.copy_data_to_vector(vector, 0, b.data.buffer as ArrayBuffer, 0, n * width);
        } else {
          const texts = b.texts!;
          const same = b.hasNull ? null : sameText(texts, n);
          if (same !== null) duckdb.vector_reference_value(vector, this.constantOf(b, same));
          else {
            for (let r = 0; r < n; r++) {
              const t = texts[r];
              if (typeof t === "string") duckdb.vector_assign_string_element(vector, r, t);
            }
          }
        }
        if (b.hasNull) {
          duckdb.vector_ensure_validity_writable(vector);
          duckdb.copy_data_to_vector_validity(vector, 0, b.valid.buffer as ArrayBuffer, 0, Math.ceil(n / 64) * 8);
        }
      }
      duckdb.data_chunk_set_size(raw, n);
      this.appender.appendDataChunk(this.chunk);
    } finally {
      // Handed over or refused, these rows are done: the next chunk starts clean.
      for (const b of this.buffers) {
        if (b.texts !== null) b.texts.length = 0;
        if (b.hasNull) {
          b.valid.fill(0xffffffff);
          b.hasNull = false;
        }
      }
    }
  }

  /** A DuckDB value of `text`, kept for the next chunk (a run's id is the same in every one). */
  private constantOf(b: ColumnBuffer, text: string): duckdb.Value {
    if (b.constant === null || b.constant.text !== text) b.constant = { text, value: duckdb.create_varchar(text) };
    return b.constant.value;
  }

  private setNull(b: ColumnBuffer, r: number): void {
    b.valid[r >>> 5]! &= ~(1 << (r & 31));
    b.hasNull = true;
    if (b.texts !== null) b.texts[r] = null;
  }
}
