// Rewrites the generated flag table in docs/aiperf-compat.md from src/config/aiperf-flags.ts.
// Run: npx bun scripts/aiperf-compat-doc.ts
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aiperfFlagsMarkdown, FLAGS_BEGIN, FLAGS_END } from "../src/config/aiperf-flags-doc.ts";

const path = join(import.meta.dir, "..", "docs", "aiperf-compat.md");
const doc = readFileSync(path, "utf8");
const begin = doc.indexOf(FLAGS_BEGIN);
const end = doc.indexOf(FLAGS_END);
if (begin < 0 || end < begin) throw new Error(`${path}: the ${FLAGS_BEGIN} ... ${FLAGS_END} markers are missing`);
writeFileSync(path, doc.slice(0, begin) + aiperfFlagsMarkdown() + doc.slice(end + FLAGS_END.length));
console.log(`wrote ${path}`);
