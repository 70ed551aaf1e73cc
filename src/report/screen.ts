// A full-screen view on the terminal's alternate screen, redrawn by difference: each frame rewrites
// only the rows that changed since the last one, in one write. Leaving restores the normal screen
// (with its scrollback) and the cursor. The writer is a plain function, so tests read the bytes.
import { textWidth } from "./live-format.ts";

const ESC = "\x1b[";
/** Alternate screen on, cursor hidden, screen cleared. */
export const ENTER_SCREEN = `${ESC}?1049h${ESC}?25l${ESC}H${ESC}2J`;
/** Attributes reset, cursor shown, normal screen back. */
export const LEAVE_SCREEN = `${ESC}0m${ESC}?25h${ESC}?1049l`;

const SGR_RE = /\x1b\[[0-9;]*m/g;

/** Columns a rendered line takes (colour codes take none). */
export function visibleWidth(line: string): number {
  return textWidth(line.includes("\x1b") ? line.replace(SGR_RE, "") : line);
}

export class Screen {
  private shown: string[] = [];
  private width = -1;
  private height = -1;
  private active = false;

  constructor(private readonly write: (text: string) => void) {}

  get isActive(): boolean {
    return this.active;
  }

  enter(): void {
    if (this.active) return;
    this.active = true;
    this.write(ENTER_SCREEN);
    this.invalidate();
  }

  /** The next frame rewrites every row (after a resize, or when something else wrote to the terminal). */
  invalidate(): void {
    this.shown = [];
    this.width = -1;
  }

  /** Shows `lines` (one per row, each at most `width` columns); returns the bytes written (0 when nothing changed). */
  frame(lines: readonly string[], width: number, height: number): number {
    if (!this.active) return 0;
    let out = "";
    if (width !== this.width || height !== this.height) {
      out += `${ESC}H${ESC}2J`;
      this.shown = [];
      this.width = width;
      this.height = height;
    }
    for (let row = 0; row < height; row++) {
      const line = lines[row] ?? "";
      if (this.shown[row] === line) continue;
      this.shown[row] = line;
      // Erase what the old row had beyond the new one; a full-width row needs no erase (and at the
      // last column an erase would take its last character on some terminals).
      out += `${ESC}${row + 1};1H${line}${visibleWidth(line) < width ? `${ESC}K` : ""}`;
    }
    if (out !== "") this.write(out);
    return out.length;
  }

  leave(): void {
    if (!this.active) return;
    this.active = false;
    this.write(LEAVE_SCREEN);
  }
}
