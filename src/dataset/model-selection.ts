// Several --model names in one run (AIPerf --model-selection-strategy): each turn of the dataset is
// given its model when the dataset is built, as AIPerf's composers and loaders do. round_robin: the
// n-th turn (in dataset order) gets models[n mod len]; random: a uniform pick, seeded by --random-seed.
// Each request then names its turn's model, and its record's `model` is the one sent.
import type { SessionSpec } from "./plan-types.ts";
import { mulberry32 } from "./seeded-rng.ts";

export type ModelSelectionStrategy = "round_robin" | "random";

/** Salt so the model picks are not the same stream as other draws from the seed. */
const MODEL_SALT = 0x6d0d_e15e;

/** Sets `model` on every turn when there are several models; one model leaves the turns as they are. */
export function assignModels(sessions: readonly SessionSpec[], models: readonly string[], strategy: ModelSelectionStrategy, seed: number): void {
  if (models.length < 2) return;
  const u = mulberry32(seed ^ MODEL_SALT);
  let n = 0;
  for (const s of sessions) {
    for (const t of s.turns) {
      t.model = strategy === "random" ? models[Math.floor(u() * models.length)]! : models[n % models.length]!;
      n++;
    }
  }
}
