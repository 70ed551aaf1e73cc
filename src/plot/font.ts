// The one font of the charts (DejaVu Sans, subset to ASCII and a few symbols: 9 KB), embedded in the
// binary: the PNGs draw text with it and need no system font; report.html embeds it too, so text in
// the page has the widths the layout measured.
import { readFileSync } from "node:fs";
import fontPath from "./assets/DejaVuSans-subset.ttf" with { type: "file" };
import { parseFont, type Font } from "./ttf.ts";

let bytes: Uint8Array | null = null;
let font: Font | null = null;

export function fontBytes(): Uint8Array {
  bytes ??= new Uint8Array(readFileSync(fontPath));
  return bytes;
}

export function chartFont(): Font {
  font ??= parseFont(fontBytes());
  return font;
}

/** CSS font-family the SVG text uses (the embedded font first). */
export const FONT_FAMILY = "LlmbenchSans, 'DejaVu Sans', Verdana, sans-serif";
