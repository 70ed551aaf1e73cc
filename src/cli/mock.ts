import type { Command } from "./command.ts";
import { MOCK_FLAGS, mockSchema, toMockOptions } from "../config/mock-config.ts";
import { UsageError, EXIT_OK } from "../runtime/usage-error.ts";
import { createLogger } from "../runtime/io.ts";
import { resolve } from "node:path";
import { normalJitPolicy } from "../runtime/jit-policy.ts";

export const mockCommand: Command = {
  name: "mock",
  description: "Run the built-in OpenAI-compatible mock server",
  flags: MOCK_FLAGS,
  examples: [
    "llmbench mock --port 8000",
    "llmbench mock --port 0 --ttft-ms 100 --itl-ms 20 --tokens-per-chunk 3 --record mock.jsonl",
    "llmbench mock --max-batch-size 32 --step-ms 15 --fault-500-pct 1",
  ],
  async run({ validate, io }) {
    const parsed = validate(mockSchema());
    const { startMockServer } = await import("../mock/server.ts");
    const { options, problems: more } = toMockOptions(parsed);
    if (more.length > 0) throw new UsageError(more);
    if (options.recordPath) options.recordPath = resolve(io.cwd, options.recordPath);
    const log = createLogger(io, "mock");
    let server: Awaited<ReturnType<typeof startMockServer>>;
    try {
      server = await startMockServer(options);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EADDRINUSE")
        throw new UsageError([`--port ${options.port}: port ${options.port} is in use (on ${options.host})`]);
      throw new UsageError([`cannot listen on ${options.host}:${options.port}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`]);
    }
    // A server runs its request code for as long as it is up: the normal JIT policy from here.
    normalJitPolicy();
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
