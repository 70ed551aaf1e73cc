// PROVISIONAL (engine integration stand-in; the tokenizer work replaces this file).
import type { TextTokenizer } from "./tokenizer.ts";
import { mulberry32 } from "./seeded-rng.ts";

const WORDS = " the of and to in is that for it as with was on be at by this had not are but from or have an they which one you were her all she there would their we him been has when who will more no if out so said what".split(" ").filter(Boolean);

export interface PromptGenerator {
  prompt(tokens: number): string;
}

export function createPromptGenerator(tok: TextTokenizer, seed: number): PromptGenerator {
  const rng = mulberry32(seed);
  return {
    prompt(tokens) {
      const parts: string[] = [];
      for (let i = 0; i < tokens; i++) parts.push(` ${WORDS[Math.floor(rng() * WORDS.length)]}`);
      let text = parts.join("");
      while (tok.count(text) > tokens) text = text.slice(0, text.lastIndexOf(" "));
      return text;
    },
  };
}
