// Child process for tests: opens a DuckDB file for writing (as a running benchmark does), prints
// "ready", and holds it until stdin closes or it is killed.
import { DuckDBInstance } from "@duckdb/node-api";

const path = process.argv[2];
if (!path) throw new Error("usage: hold-db-open.ts <file.duckdb>");
const inst = await DuckDBInstance.create(path);
const conn = await inst.connect();
await conn.run("CREATE TABLE IF NOT EXISTS requests AS SELECT 1 AS n");
process.stdout.write("ready\n");
for await (const _ of Bun.stdin.stream()) {
  // wait for EOF
}
conn.closeSync();
inst.closeSync();
