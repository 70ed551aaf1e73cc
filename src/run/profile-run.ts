// The minimal profile pipeline: closed-loop streaming chat against one URL, every record into
// results.duckdb as it completes, then a one-line summary. Ctrl-C cancels in-flight requests,
// which are still recorded (as cancelled).
import { mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { chatBody } from "../client/chat-body.ts";
import { sendStreaming } from "../client/stream-request.ts";
import { redactedConfig, type ProfileConfig } from "../config/profile-config.ts";
import { estimateTokens } from "../dataset/estimate-tokens.ts";
import { wordPrompt } from "../dataset/word-prompt.ts";
import type { RequestRecord } from "../record/request-record.ts";
import { summaryLine } from "../report/summary-line.ts";
import { runClosedLoop } from "../schedule/closed-loop.ts";
import { ResultsWriter } from "../store/results-db.ts";
import { epochNs } from "../runtime/clock.ts";
import { createLogger, type Io } from "../runtime/io.ts";
import { VERSION } from "../version.ts";
import { EXIT_FAILURE, EXIT_OK } from "../cli/usage-error.ts";

export interface ProfileOutcome {
  records: RequestRecord[];
  dbPath: string;
  durationNs: number;
  interrupted: boolean;
}

export async function executeProfile(cfg: ProfileConfig, io: Io): Promise<ProfileOutcome> {
  const dir = resolve(io.cwd, cfg.artifactDir);
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, "results.duckdb");
  const runId = crypto.randomUUID();
  const started = epochNs();
  const writer = await ResultsWriter.create(dbPath, {
    run_id: runId,
    tool_version: VERSION,
    host: hostname(),
    config: JSON.stringify(redactedConfig(cfg)),
    started_ns: started,
    ended_ns: null,
  });
  const cancel = new AbortController();
  const removeSignal = io.onSignal(() => cancel.abort());
  const headers: Record<string, string> = cfg.apiKey ? { authorization: `Bearer ${cfg.apiKey}` } : {};
  const url = `${cfg.url}/v1/chat/completions`;
  const records: RequestRecord[] = [];
  try {
    await runClosedLoop({
      concurrency: cfg.concurrency,
      requestCount: cfg.requestCount,
      shouldStop: () => cancel.signal.aborted,
      send: async (index) => {
        const prompt = wordPrompt(cfg.isl, cfg.randomSeed * 1_000_003 + index);
        const scheduled = epochNs();
        const rec = await sendStreaming(
          {
            url,
            endpoint: "chat",
            body: chatBody({ model: cfg.model, prompt, maxTokens: cfg.osl, stream: true }),
            headers,
            requestId: crypto.randomUUID(),
            timeoutMs: cfg.requestTimeoutMs,
            cancel: cancel.signal,
            countTokens: estimateTokens,
          },
          {
            request_index: index,
            session_num: index,
            turn_index: 0,
            worker_id: 0,
            phase: "profiling",
            model: cfg.model,
            scheduled_ns: scheduled,
            input_tokens: estimateTokens(prompt),
          },
        );
        records.push(rec);
        writer.append(rec);
      },
    });
  } finally {
    removeSignal();
    await writer.close(epochNs());
  }
  return { records, dbPath, durationNs: epochNs() - started, interrupted: cancel.signal.aborted };
}

export async function runProfile(cfg: ProfileConfig, io: Io): Promise<number> {
  const log = createLogger(io);
  log.info(`profiling ${cfg.url} (${cfg.model}): ${cfg.requestCount} requests, concurrency ${cfg.concurrency}`);
  const out = await executeProfile(cfg, io);
  io.out(`${summaryLine(out.records, out.durationNs)}\n`);
  io.err(`results: ${out.dbPath}\n`);
  if (out.interrupted) log.warn("interrupted: in-flight requests were cancelled and recorded");
  return out.records.some((r) => r.error !== null) || out.interrupted ? EXIT_FAILURE : EXIT_OK;
}
