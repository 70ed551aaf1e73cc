// The run's dataset: an --input-file in one of AIPerf's formats, or synthetic prompts. Loaded (and
// validated, line by line) before anything is sent, so a bad file is a usage error, not a failed run.
import { resolve } from "node:path";
import type { ProfileConfig } from "../config/profile-config.ts";
import { loadInputFile } from "../dataset/input-file.ts";
import type { Dataset } from "../dataset/plan-types.ts";
import { mulberry32 } from "../dataset/seeded-rng.ts";
import { buildSyntheticDataset, sharedSystemPrompt } from "../dataset/synthetic-dataset.ts";
import { parseSeqDist } from "../dataset/seq-dist.ts";
import type { TextTokenizer } from "../dataset/tokenizer.ts";
import { positiveNormalInt } from "../random/distributions.ts";

export interface LoadedDataset {
  dataset: Dataset;
  /** Entries outside --fixed-schedule-start/end-offset, left out. */
  skipped: number;
}

export function loadDataset(cfg: ProfileConfig, tok: TextTokenizer, cwd: string): LoadedDataset {
  const d = cfg.dataset;
  if (d.inputFile === null) {
    const dataset = buildSyntheticDataset(tok, {
      numEntries: cfg.numDatasetEntries,
      isl: cfg.isl,
      islStddev: d.islStddev,
      osl: cfg.osl,
      oslStddev: d.oslStddev,
      seqDist: d.seqDist === null ? null : parseSeqDist(d.seqDist),
      seed: cfg.randomSeed,
      numPrefixPrompts: d.numPrefixPrompts,
      prefixPromptLength: d.prefixPromptLength,
      sharedSystemPromptLength: d.sharedSystemPromptLength,
      turnMean: d.turnMean,
      turnStddev: d.turnStddev,
      turnDelayMeanMs: d.turnDelayMeanMs,
      turnDelayStddevMs: d.turnDelayStddevMs,
      turnDelayRatio: d.turnDelayRatio,
    });
    return { dataset: { ...dataset, sampling: d.samplingStrategy ?? dataset.sampling }, skipped: 0 };
  }
  const fixed = cfg.load.kind === "fixed" ? cfg.load : null;
  const loaded = loadInputFile(resolve(cwd, d.inputFile), d.customDatasetType, {
    tok,
    blockSize: d.blockSize,
    seed: cfg.randomSeed,
    numEntries: cfg.numDatasetEntries,
    startOffsetMs: fixed?.startOffsetMs ?? null,
    endOffsetMs: fixed?.endOffsetMs ?? null,
  });
  // AIPerf: turns without their own output length get --osl (± --osl-stddev) when it is set.
  if (cfg.osl !== null) {
    const u = mulberry32(cfg.randomSeed ^ 0x05e1);
    for (const s of loaded.sessions) for (const t of s.turns) t.maxTokens ??= positiveNormalInt(u, cfg.osl, d.oslStddev);
  }
  const systemPrompt = sharedSystemPrompt(tok, cfg.randomSeed, d.sharedSystemPromptLength);
  return {
    dataset: { sessions: loaded.sessions, systemPrompt, sampling: d.samplingStrategy ?? loaded.sampling, blockSize: d.blockSize },
    skipped: loaded.skipped,
  };
}
