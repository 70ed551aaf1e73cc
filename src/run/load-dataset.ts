// The run's dataset: an --input-file in one of AIPerf's formats, a public dataset (ShareGPT), or
// synthetic prompts. Loaded (and validated, line by line) before anything is sent, so a bad file is a
// usage error, not a failed run.
import { resolve } from "node:path";
import type { ProfileConfig } from "../config/profile-config.ts";
import { loadInputFile } from "../dataset/input-file.ts";
import { assignModels } from "../dataset/model-selection.ts";
import { loadShareGpt } from "../dataset/sharegpt.ts";
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
  /** What a public dataset's filter kept, for the log; absent otherwise. */
  note?: string;
}

export interface PublicDatasetSource {
  /** The public dataset's file, found or downloaded beforehand (prepare.ts); an --input-file given with --public-dataset is a local copy and wins. */
  publicFile?: string;
  /** Where ShareGPT token counts are cached between runs; none: counted every time. */
  countCacheDir?: string;
}

export function loadDataset(cfg: ProfileConfig, tok: TextTokenizer, cwd: string, pub: PublicDatasetSource = {}): LoadedDataset {
  const loaded = loadSessions(cfg, tok, cwd, pub);
  assignModels(loaded.dataset.sessions, cfg.models, cfg.modelSelectionStrategy, cfg.randomSeed);
  return loaded;
}

function loadSessions(cfg: ProfileConfig, tok: TextTokenizer, cwd: string, pub: PublicDatasetSource): LoadedDataset {
  if (cfg.publicDataset !== undefined) {
    const path = cfg.inputFile !== undefined ? resolve(cwd, cfg.inputFile) : pub.publicFile;
    if (path === undefined) throw new Error(`--public-dataset ${cfg.publicDataset}: no file (neither --input-file nor a cached download)`);
    const loaded = loadShareGpt(path, { tok, skipMinOutput: cfg.osl !== undefined, countCacheDir: pub.countCacheDir });
    if (loaded.sessions.length === 0) {
      throw new Error(
        `--public-dataset ${cfg.publicDataset}: ${path}: none of its ${loaded.entries} entries passes the length filter (prompt 4..1024 tokens, reply >= 4, both <= 2048)`,
      );
    }
    const systemPrompt = sharedSystemPrompt(tok, cfg.randomSeed, cfg.sharedSystemPromptLength);
    // AIPerf's preferred sampling for ShareGPT is sequential.
    return {
      dataset: { sessions: loaded.sessions, systemPrompt, sampling: cfg.datasetSamplingStrategy ?? "sequential", blockSize: cfg.islBlockSize },
      skipped: 0,
      note: `--public-dataset ${cfg.publicDataset}: ${loaded.sessions.length} of ${loaded.entries} conversations pass the length filter (${path})`,
    };
  }
  if (cfg.inputFile === undefined) {
    const dataset = buildSyntheticDataset(tok, {
      numEntries: cfg.numDatasetEntries,
      isl: cfg.isl,
      islStddev: cfg.islStddev,
      osl: cfg.osl ?? null,
      oslStddev: cfg.oslStddev,
      seqDist: cfg.seqDist === undefined ? null : parseSeqDist(cfg.seqDist),
      seed: cfg.randomSeed,
      numPrefixPrompts: cfg.numPrefixPrompts,
      prefixPromptLength: cfg.prefixPromptLength,
      sharedSystemPromptLength: cfg.sharedSystemPromptLength,
      turnMean: cfg.conversationTurnMean,
      turnStddev: cfg.conversationTurnStddev,
      turnDelayMeanMs: cfg.conversationTurnDelayMean,
      turnDelayStddevMs: cfg.conversationTurnDelayStddev,
      turnDelayRatio: cfg.conversationTurnDelayRatio,
    });
    return { dataset: { ...dataset, sampling: cfg.datasetSamplingStrategy ?? dataset.sampling }, skipped: 0 };
  }
  const fixed = cfg.load.kind === "fixed" ? cfg.load : null;
  const loaded = loadInputFile(resolve(cwd, cfg.inputFile), cfg.customDatasetType, {
    tok,
    blockSize: cfg.islBlockSize,
    seed: cfg.randomSeed,
    numEntries: cfg.numDatasetEntries,
    startOffsetMs: fixed?.startOffsetMs ?? null,
    endOffsetMs: fixed?.endOffsetMs ?? null,
  });
  // AIPerf: turns without their own output length get --osl (± --osl-stddev) when it is set.
  const osl = cfg.osl;
  if (osl !== undefined) {
    const u = mulberry32(cfg.randomSeed ^ 0x05e1);
    for (const s of loaded.sessions) for (const t of s.turns) t.maxTokens ??= positiveNormalInt(u, osl, cfg.oslStddev);
  }
  const systemPrompt = sharedSystemPrompt(tok, cfg.randomSeed, cfg.sharedSystemPromptLength);
  return {
    dataset: { sessions: loaded.sessions, systemPrompt, sampling: cfg.datasetSamplingStrategy ?? loaded.sampling, blockSize: cfg.islBlockSize },
    skipped: loaded.skipped,
  };
}
