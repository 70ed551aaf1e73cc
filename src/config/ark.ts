// arktype, loaded on first use. Importing it costs about 0.2 s and 20 MB here, which --help and
// --version never need; `require` inside a function stays lazy in the compiled binary too.
// Jitless: every schema here validates once per command (flags, config files), so compiling
// validators to JavaScript, which arktype does for its whole built-in scope on import, costs more
// than it saves (16 MB of a small run's peak RSS and ~0.1 s, measured in the binary).
import type * as Ark from "arktype";

let mod: typeof Ark | undefined;

export function ark(): typeof Ark {
  if (mod === undefined) {
    (require("arktype/config") as typeof import("arktype/config")).configure({ jitless: true });
    mod = require("arktype") as typeof Ark;
  }
  return mod;
}

/** A value built on first call, then kept. */
export function lazy<T>(build: () => T): () => T {
  let built: { value: T } | null = null;
  return () => (built ??= { value: build() }).value;
}
