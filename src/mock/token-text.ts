// Output text: lowercase English words each with a leading space. Every word is exactly one
// o200k (gpt-4o) token and the pre-tokenizer splits at each leading space, so any
// concatenation of n words encodes to exactly n tokens (verified in tests/unit/mock).

export const VOCAB: readonly string[] = (
  "the of and to in is that for it as with was on be at by this had not are but from or have an " +
  "they which one you were her all she there would their we him been has when who will more no if " +
  "out so said what up its about into than them can only other new some could time these two may " +
  "then do first any my now such like our over man me even most made after also did many before " +
  "must through back years where much your way well down should because each just those people " +
  "how too little state good very make world still own see men work long get here between both " +
  "being under never day same another know while"
)
  .split(" ")
  .map((w) => " " + w);

/** Odd, so coprime with the power-of-two vocabulary size: the sequence visits every word. */
const STRIDE = 37;

/** Word of token `index` for a request whose sequence starts at `offset`. */
export function tokenWord(offset: number, index: number): string {
  return VOCAB[(offset + index * STRIDE) % VOCAB.length]!;
}

/** Text of tokens [start, start + count) of the sequence starting at `offset`. */
export function tokenText(offset: number, start: number, count: number): string {
  let s = "";
  for (let i = start; i < start + count; i++) s += tokenWord(offset, i);
  return s;
}
