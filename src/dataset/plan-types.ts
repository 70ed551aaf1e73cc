// What a dataset hands the load engine: sessions of turns, each turn a prompt recipe plus its timing.
// Plain data (structured-clone safe): it is posted once to every load worker.

/** A turn's user prompt: literal text, or hash-id blocks each worker builds identically (block-prompts.ts). */
export type PromptSource =
  | { kind: "text"; text: string /** Tokens under the run's tokenizer. */; tokens: number }
  | { kind: "blocks"; hashIds: number[] /** Exact total tokens (input_length). */; tokens: number };

export interface TurnSpec {
  prompt: PromptSource;
  /** Output token limit for this turn (osl / output_length), or null for none. */
  maxTokens: number | null;
  /** Trace timestamp in ms (fixed schedule), or null. */
  timestampMs: number | null;
  /** Wait after the previous turn of the session ended, ms (multi-turn `delay`); 0 for none. */
  delayMs: number;
  /** The model this turn is sent to, when --model names several (model-selection.ts); absent: the run's one model. */
  model?: string;
}

export interface SessionSpec {
  /** From the file's session_id, else generated (`session_000042`). */
  sessionId: string;
  turns: TurnSpec[];
}

export type SamplingStrategy = "sequential" | "random" | "shuffle";

export interface Dataset {
  sessions: SessionSpec[];
  /** Shared system prompt sent with every chat request (--shared-system-prompt-length), or null. */
  systemPrompt: string | null;
  /**
   * How the n-th session of a run is picked (AIPerf --dataset-sampling-strategy): in order, cycling;
   * at random with replacement; or shuffle (every session once per pass, in a seeded order per pass).
   */
  sampling: SamplingStrategy;
  /** Tokens per hash-id block (--isl-block-size) for `blocks` prompts. */
  blockSize: number;
}
