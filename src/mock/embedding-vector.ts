// Deterministic unit-length embedding per (input text, seed): same input, same vector.
import { hashString, mix32, mulberry32 } from "./seeded-rng.ts";

export function embeddingVector(key: string, dim: number, seed: number): Float32Array {
  const rng = mulberry32(mix32(hashString(key) ^ mix32(seed >>> 0)));
  const v = new Float32Array(dim);
  let norm = 0;
  for (let i = 0; i < dim; i++) {
    const x = rng() * 2 - 1;
    v[i] = x;
    norm += x * x;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < dim; i++) v[i] = v[i]! * scale;
  return v;
}

/** OpenAI's encoding_format "base64": little-endian float32 bytes. */
export function embeddingBase64(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64");
}

/** Splits an embeddings `input` into items: string | string[] | number[] (one input) | number[][]. */
export function embeddingInputs(input: unknown): { key: string; tokens: number }[] | null {
  if (typeof input === "string") return [{ key: input, tokens: 0 }];
  if (!Array.isArray(input) || input.length === 0) return null;
  if (input.every((x) => typeof x === "number")) return [{ key: input.join(","), tokens: input.length }];
  const out: { key: string; tokens: number }[] = [];
  for (const item of input) {
    if (typeof item === "string") out.push({ key: item, tokens: 0 });
    else if (Array.isArray(item) && item.every((x) => typeof x === "number")) out.push({ key: item.join(","), tokens: item.length });
    else return null;
  }
  return out;
}
