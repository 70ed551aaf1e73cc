// Cheap, deterministic prompt token estimate: one token per whitespace-separated word, one per
// token id when a prompt is given as ids. Exact for prompts built from the mock's own words.

/** Number of whitespace-separated words in `text`. */
export function countWords(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 11;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

/** Words in a chat message content: a string, or an array of parts whose text parts count. */
export function contentTokens(content: unknown): number {
  if (typeof content === "string") return countWords(content);
  if (!Array.isArray(content)) return 0;
  let n = 0;
  for (const part of content) {
    if (typeof part === "string") n += countWords(part);
    else if (part !== null && typeof part === "object" && typeof (part as { text?: unknown }).text === "string") {
      n += countWords((part as { text: string }).text);
    }
  }
  return n;
}

/** Tokens of a completions prompt / embeddings input: string, string[], number[] (ids) or number[][]. */
export function promptInputTokens(input: unknown): number {
  if (typeof input === "string") return countWords(input);
  if (!Array.isArray(input)) return 0;
  let n = 0;
  for (const item of input) {
    if (typeof item === "string") n += countWords(item);
    else if (typeof item === "number") n += 1;
    else if (Array.isArray(item)) n += item.length;
  }
  return n;
}
