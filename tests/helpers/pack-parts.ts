// Reading and altering tokenizer packs (src/dataset/tokenizer-pack.ts) in tests: a JSON header line, then the body.

/** Where the header line ends (its newline). */
const headerEnd = (packed: Uint8Array): number => packed.indexOf(0x0a);

/** The pack's JSON header. */
export function packHeader<T = Record<string, unknown>>(packed: Uint8Array): T {
  return JSON.parse(new TextDecoder().decode(packed.subarray(0, headerEnd(packed)))) as T;
}

/** The bytes after the header line. */
export function packBody(packed: Uint8Array): Uint8Array {
  return packed.subarray(headerEnd(packed) + 1);
}

/** The same pack with its header line's text changed by `edit` (the body as it was). */
export function withHeaderText(packed: Uint8Array, edit: (header: string) => string): Uint8Array {
  const head = new TextEncoder().encode(`${edit(new TextDecoder().decode(packed.subarray(0, headerEnd(packed))))}\n`);
  const body = packBody(packed);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/** Whether two packs hold the same bytes. */
export const sameBytes = (a: Uint8Array | null, b: Uint8Array | null): boolean => a !== null && b !== null && Buffer.from(a).equals(Buffer.from(b));
