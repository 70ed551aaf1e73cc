/**
 * Token count estimate used until a tokenizer is configured: one token per whitespace-led word
 * (exact for the mock, whose tokens are single-token words with a leading space).
 */
export function estimateTokens(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}
