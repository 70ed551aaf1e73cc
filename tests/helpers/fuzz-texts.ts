// Seeded texts for tokenizer tests: what real prompts and outputs mix.
import { mulberry32 } from "../../src/dataset/seeded-rng.ts";

/** Seeded strings over a mixed alphabet: ASCII words and punctuation, whitespace runs, accents, CJK, emoji (with ZWJ), digits. */
export function fuzzTexts(seed: number, n: number): string[] {
  const rng = mulberry32(seed);
  const alphabet = [
    ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789     \n\t\r.,;:!?'\"()-_/\\@#$%^&*",
    ..."éñßüΩЖ日本語한🎉👍🏽\u200d\u00a0",
    " the",
    " and",
    "'s",
    "'LL",
    "\n\n",
    "<|endoftext|>",
    "[CLS]",
  ];
  return Array.from({ length: n }, () => {
    let s = "";
    const len = 1 + Math.floor(rng() * 80);
    for (let j = 0; j < len; j++) s += alphabet[Math.floor(rng() * alphabet.length)];
    return s;
  });
}
