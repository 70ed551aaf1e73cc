import type { Command } from "./command.ts";
import type { FlagsDef } from "../config/flag-spec.ts";
import { mockSchema, toMockOptions } from "../config/mock-config.ts";
import { UsageError, EXIT_OK } from "../runtime/usage-error.ts";
import { createLogger } from "../runtime/io.ts";
import { resolve } from "node:path";

const num = (description: string, def: string, valueHint: string) => ({ type: "string" as const, description, default: def, valueHint });

const flags: FlagsDef = {
  host: { type: "string", description: "Address to bind (loopback unless you say otherwise)", default: "127.0.0.1", valueHint: "addr" },
  port: num("Port to listen on (0 = any free port)", "8000", "port"),
  model: { type: "string", repeatable: true, description: "Model name listed by /v1/models (repeatable; default mock-model)", valueHint: "name" },
  "ttft-ms": num("Time to first token", "20", "ms"),
  "itl-ms": num("Gap between chunks", "5", "ms"),
  "jitter-pct": num("Seeded uniform jitter on TTFT and gaps, +-percent", "0", "pct"),
  seed: num("Seed for lengths, jitter and faults", "0", "n"),
  "tokens-per-chunk": num("Tokens bundled in each SSE chunk (as with speculative decoding)", "1", "n"),
  "reasoning-tokens": num("Chat: tokens sent as reasoning_content before content", "0", "n"),
  "embedding-dim": num("Length of /v1/embeddings vectors", "16", "n"),
  "fault-500-pct": num("Percent of requests answered with HTTP 500", "0", "pct"),
  "fault-429-pct": num("Percent of requests answered with HTTP 429", "0", "pct"),
  "fault-drop-pct": num("Percent of streams whose connection drops mid-stream", "0", "pct"),
  "fault-malformed-pct": num("Percent of streams with a malformed (non-JSON) chunk", "0", "pct"),
  "fault-stall-pct": num("Percent of streams that stall after the first chunk", "0", "pct"),
  "stall-seconds": num("How long a stalled stream sends nothing", "30", "s"),
  "max-batch-size": num("Batched-decode model: requests decoded at once (0 = off)", "0", "n"),
  "step-ms": num("Batched-decode model: time of one decode step", "10", "ms"),
  record: { type: "string", description: "Write a JSONL line per request with exactly when each chunk was sent", valueHint: "file" },
};

export const mockCommand: Command = {
  name: "mock",
  description: "Run the built-in OpenAI-compatible mock server",
  flags,
  examples: [
    "llmbench mock --port 8000",
    "llmbench mock --port 0 --ttft-ms 100 --itl-ms 20 --tokens-per-chunk 3 --record mock.jsonl",
    "llmbench mock --max-batch-size 32 --step-ms 15 --fault-500-pct 1",
  ],
  async run({ validate, io }) {
    const parsed = validate(mockSchema);
    const { startMockServer } = await import("../mock/server.ts");
    const { options, problems: more } = toMockOptions(parsed);
    if (more.length > 0) throw new UsageError(more);
    if (options.recordPath) options.recordPath = resolve(io.cwd, options.recordPath);
    const log = createLogger(io, "mock");
    let server;
    try {
      server = await startMockServer(options);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EADDRINUSE") throw new UsageError([`--port ${options.port}: port ${options.port} is in use (on ${options.host})`]);
      throw new UsageError([`cannot listen on ${options.host}:${options.port}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`]);
    }
    // The URL goes to stdout so scripts can read it (e.g. with --port 0).
    io.out(`${server.url}\n`);
    log.info(`mock server listening on ${server.url} (models: ${options.models.join(", ")}); Ctrl-C to stop`);
    await new Promise<void>((done) => {
      const off = io.onSignal(() => {
        off();
        done();
      });
    });
    await server.stop();
    log.info("mock server stopped");
    return EXIT_OK;
  },
};
