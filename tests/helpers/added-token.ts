/** An `added_tokens` entry of a tokenizer.json, for hand-built tokenizer fixtures. */
export function specialToken(vocab: Record<string, number>, content: string) {
  return { id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}
