// The font src/plot/font.ts imports `with { type: "file" }`: Bun gives its path (the real file in
// source mode, a path inside the embedded filesystem in a compiled binary), read with readFileSync.
declare module "*.ttf" {
  const path: string;
  export default path;
}
