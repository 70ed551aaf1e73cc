// What counts a text's tokens (the tokenizer, or a memo over it); its own file so the request runner
// and the counting helpers it uses do not import each other.
export interface TokenCounter {
  count(text: string): number;
}
