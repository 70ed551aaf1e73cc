// Placeholder synthetic prompts until the tokenizer-backed generator lands: `words` common English
// words, each one o200k token with its leading space, picked by a seeded RNG.
import { mulberry32 } from "./seeded-rng.ts";

const WORDS = [
  " the", " of", " and", " to", " in", " is", " that", " for", " it", " as", " with", " was", " on",
  " be", " at", " by", " this", " had", " not", " are", " but", " from", " or", " have", " an", " they",
  " which", " one", " you", " were", " her", " all", " she", " there", " would", " their", " we", " him",
  " been", " has", " when", " who", " will", " more", " no", " if", " out", " so", " said", " what",
];

export function wordPrompt(words: number, seed: number): string {
  const rng = mulberry32(seed);
  const parts: string[] = new Array(words);
  for (let i = 0; i < words; i++) parts[i] = WORDS[Math.floor(rng() * WORDS.length)]!;
  return parts.join("").trimStart();
}
