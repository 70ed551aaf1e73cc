import { describe, expect, test } from "bun:test";
import { ENTER_SCREEN, LEAVE_SCREEN, Screen, visibleWidth } from "../../../src/report/screen.ts";

function screen() {
  const writes: string[] = [];
  return { writes, s: new Screen((t) => void writes.push(t)) };
}

describe("Screen", () => {
  test("enter, a first frame of every row, then only the rows that changed, then leave", () => {
    const { writes, s } = screen();
    expect(s.frame(["x"], 10, 2)).toBe(0); // not entered: nothing
    s.enter();
    s.frame(["hello", "world"], 10, 2);
    s.frame(["hello", "there"], 10, 2);
    expect(s.frame(["hello", "there"], 10, 2)).toBe(0);
    s.leave();
    s.leave();
    expect(writes).toEqual([ENTER_SCREEN, "\x1b[H\x1b[2J\x1b[1;1Hhello\x1b[K\x1b[2;1Hworld\x1b[K", "\x1b[2;1Hthere\x1b[K", LEAVE_SCREEN]);
    expect(ENTER_SCREEN).toBe("\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J");
    expect(LEAVE_SCREEN).toBe("\x1b[0m\x1b[?25h\x1b[?1049l");
  });

  test("a full-width row is not followed by an erase; missing rows are blanked", () => {
    const { writes, s } = screen();
    s.enter();
    s.frame(["abcd", "ab"], 4, 3);
    expect(writes[1]).toBe("\x1b[H\x1b[2J\x1b[1;1Habcd\x1b[2;1Hab\x1b[K\x1b[3;1H\x1b[K");
  });

  test("a resize or invalidate() redraws everything", () => {
    const { writes, s } = screen();
    s.enter();
    s.frame(["a", "b"], 10, 2);
    s.frame(["a", "b"], 12, 2);
    expect(writes[2]).toBe("\x1b[H\x1b[2J\x1b[1;1Ha\x1b[K\x1b[2;1Hb\x1b[K");
    s.invalidate();
    s.frame(["a", "b"], 12, 2);
    expect(writes[3]).toBe(writes[2]);
  });

  test("visibleWidth ignores colour codes and counts wide characters", () => {
    expect(visibleWidth("\x1b[31mred\x1b[0m")).toBe(3);
    expect(visibleWidth("日本")).toBe(4);
  });
});
