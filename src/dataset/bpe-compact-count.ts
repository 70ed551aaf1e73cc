// Tokens of one pre-token (before the byte mapping) through bpe-compact.ts, cut as the bounded library
// model cuts a long one (tokenizer-bpe-bound.ts): the count the library gives for that piece.
import type { CompactBpe } from "./bpe-compact.ts";
import { type ByteAlphabet, byteTable } from "./bpe-compact-tables.ts";
import { continuationTest, MAX_BPE_PIECE, splitLongPiece } from "./tokenizer-bpe-bound.ts";

/** Bytes of scratch kept between pieces (64 KiB); a longer piece's buffer goes with the next short piece. */
const KEPT_SCRATCH = 1 << 16;

/** Counts a raw pre-token's tokens with `bpe`; pieces over `maxPiece` bytes are cut as the library's bounded model cuts them. */
export function compactPieceCounter(bpe: CompactBpe, alphabet: ByteAlphabet, maxPiece: number = MAX_BPE_PIECE): (piece: string) => number {
  const encoder = new TextEncoder();
  let scratch = new Uint8Array(1024);
  const byteOf = byteTable(alphabet);
  if (byteOf === null) throw new Error("not a byte alphabet: 256 distinct characters");
  const isContinuation = continuationTest(alphabet);

  /** The piece's UTF-8 bytes in `scratch`; returns their length. A buffer for a very long piece is not kept. */
  const toBytes = (piece: string): number => {
    if (scratch.length < piece.length * 3) scratch = new Uint8Array(piece.length * 3);
    else if (scratch.length > KEPT_SCRATCH && piece.length * 3 <= KEPT_SCRATCH) scratch = new Uint8Array(KEPT_SCRATCH);
    for (let i = 0; i < piece.length; i++) {
      const c = piece.charCodeAt(i);
      if (c >= 0x80) return encoder.encodeInto(piece, scratch).written;
      scratch[i] = c;
    }
    return piece.length;
  };

  // The library cuts the byte-level string (one character per byte) and merges each part on its own.
  const longCount = (length: number): number => {
    let mapped = "";
    for (let i = 0; i < length; i++) mapped += alphabet[scratch[i]!];
    const parts = splitLongPiece(mapped, maxPiece, isContinuation);
    const part = new Uint8Array(maxPiece);
    let n = 0;
    for (const p of parts) {
      for (let i = 0; i < p.length; i++) part[i] = byteOf[p.charCodeAt(i)]!;
      n += bpe.countMerged(part, 0, p.length);
    }
    return n;
  };

  return (piece) => {
    const length = toBytes(piece);
    if (length <= maxPiece) return bpe.count(scratch, 0, length);
    return bpe.keptWhole(scratch, 0, length) ? 1 : longCount(length);
  };
}
