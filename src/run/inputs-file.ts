// inputs.json: the request payloads of the dataset, as AIPerf writes them.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ConsolaInstance } from "consola";
import { requestBody } from "../client/request-body.ts";
import type { ProfileConfig } from "../config/profile-config.ts";
import type { Dataset } from "../dataset/plan-types.ts";
import { inputsJson } from "../report/inputs-json.ts";

/**
 * Writes inputs.json unless the prompts are hash-id blocks built while the run goes (writing them all
 * first would defeat that, and a big trace's text runs to hundreds of MB). Returns whether they are.
 */
export function writeInputsJson(dir: string, cfg: ProfileConfig, dataset: Dataset, log: ConsolaInstance): boolean {
  const fedPrompts = dataset.sessions.some((s) => s.turns.some((t) => t.prompt.kind === "blocks"));
  if (fedPrompts) {
    log.info("inputs.json not written: the hash-id prompts are built during the run (they are reproducible from --random-seed)");
    return true;
  }
  const sessions = dataset.sessions.map((s) => ({
    session_id: s.sessionId,
    payloads: s.turns.map(
      (t) =>
        requestBody({
          endpointType: cfg.endpointType,
          model: t.model ?? cfg.model,
          prompt: t.prompt.kind === "text" ? t.prompt.text : "",
          maxTokens: t.maxTokens,
          streaming: cfg.streaming,
          includeUsage: true,
          extra: cfg.extraInputs,
          rankingsPassages: cfg.rankingsPassagesMean,
          systemPrompt: dataset.systemPrompt,
        }) as never,
    ),
  }));
  writeFileSync(join(dir, "inputs.json"), inputsJson(sessions));
  return false;
}
