// arktype, loaded on first use. Importing it costs about 0.5 s and 45 MB here, which --help and
// --version never need; `require` inside a function stays lazy in the compiled binary too.
import type * as Ark from "arktype";

let mod: typeof Ark | undefined;

export function ark(): typeof Ark {
  mod ??= require("arktype") as typeof Ark;
  return mod;
}

/** A value built on first call, then kept. */
export function lazy<T>(build: () => T): () => T {
  let built: { value: T } | null = null;
  return () => (built ??= { value: build() }).value;
}
