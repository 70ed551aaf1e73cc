// Incremental Server-Sent Events parser following the WHATWG EventSource parsing rules
// (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
//
// Pure and synchronous: feed it decoded text in pieces of any size, split anywhere (mid-line, between
// "\r" and "\n", mid-field), and it returns the events each piece completes. Work is linear in the input:
// every character is scanned by indexOf at most a constant number of times, and a line that arrives in
// many pieces is kept as a list of pieces and joined once, when its line end arrives.
//
// Byte counts: SseEvent.data.length is in UTF-16 code units, which equals the UTF-8 byte count for ASCII
// (the usual case for JSON payloads). The parser only sees decoded text, so it cannot know the wire bytes;
// a caller that needs the exact UTF-8 size of a payload can use Buffer.byteLength(data, "utf8").

export interface SseEvent {
  /** The `event:` field of the event, or "message" when none was given. */
  event: string;
  /** The `data:` lines of the event, joined with "\n". */
  data: string;
  /**
   * The last event ID seen on this stream (WHATWG: it persists across events until another `id:` field
   * changes it), or null if the stream has sent no `id:` field so far. An `id:` field with an empty value
   * sets it to "".
   */
  id: string | null;
}

/**
 * Receives each event as it completes. `ev` is the parser's own object, refilled for the next event
 * (no object a chunk): read it during the call; keep its strings, not it.
 */
export interface SseSink {
  onEvent(ev: Readonly<SseEvent>): void;
}

/** Gathers copies of the events, for feed() and end(). */
class EventList implements SseSink {
  readonly events: SseEvent[] = [];
  onEvent(ev: Readonly<SseEvent>): void {
    this.events.push({ event: ev.event, data: ev.data, id: ev.id });
  }
}

const LF = 10;
const COLON = 58;
const SPACE = 32;
const BOM = 0xfeff;

export class SseParser {
  /** Pieces of the current line received so far without its line end (usually empty). */
  private pending: string[] = [];
  /** The previous feed ended with "\r": a "\n" at the start of the next feed belongs to that line end. */
  private skipLF = false;
  /** No text seen yet: a leading BOM is still to be skipped. */
  private atStart = true;
  /** Data buffer of the event being built; meaningful only when dataLines > 0. */
  private data = "";
  private dataLines = 0;
  private eventType = "";
  private lastEventId: string | null = null;
  /** What dispatch hands the sink, refilled each time. */
  private readonly current: SseEvent = { event: "message", data: "", id: null };

  /** Feed decoded text of any size, split anywhere. Returns the events completed by this text, in order. */
  feed(text: string): SseEvent[] {
    const list = new EventList();
    this.feedTo(text, list);
    return list.events;
  }

  /** feed(), handing each completed event to `out` as it completes. */
  feedTo(text: string, out: SseSink): void {
    const len = text.length;
    if (len === 0) return;
    let pos = 0;
    if (this.atStart) {
      this.atStart = false;
      if (text.charCodeAt(0) === BOM) pos = 1;
    }
    if (this.skipLF) {
      this.skipLF = false;
      if (pos < len && text.charCodeAt(pos) === LF) pos++;
    }
    // Next "\n" / "\r" at or after pos; -1 once there is none left, < pos (stale) when it must be searched.
    let lf = -2;
    let cr = -2;
    while (pos < len) {
      if (lf !== -1 && lf < pos) lf = text.indexOf("\n", pos);
      if (cr !== -1 && cr < pos) cr = text.indexOf("\r", pos);
      let end: number;
      let next: number;
      if (lf !== -1 && (cr === -1 || lf < cr)) {
        end = lf;
        next = lf + 1;
      } else if (cr !== -1) {
        end = cr;
        if (cr + 1 < len) {
          next = text.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1;
        } else {
          next = len;
          this.skipLF = true;
        }
      } else {
        break;
      }
      if (this.pending.length > 0) {
        this.pending.push(text.slice(pos, end));
        const line = this.pending.join("");
        this.pending.length = 0;
        this.processLine(line, out);
      } else this.processRange(text, pos, end, out);
      pos = next;
    }
    if (pos < len) this.pending.push(pos === 0 ? text : text.slice(pos));
  }

  /**
   * End of stream. WHATWG discards an unterminated event at EOF; servers that close without the final
   * blank line are common enough that this returns it instead: a trailing line without its line end is
   * processed, then the pending event is dispatched if any `data:` field was seen. Resets the parser,
   * which can then be used for a new stream.
   */
  end(): SseEvent[] {
    const list = new EventList();
    this.endTo(list);
    return list.events;
  }

  /** end(), handing the events to `out`. */
  endTo(out: SseSink): void {
    if (this.pending.length > 0) {
      const line = this.pending.join("");
      this.pending.length = 0;
      // A non-empty trailing line only adds to the pending event; dispatch below.
      if (line.length > 0) this.processLine(line, out);
    }
    this.dispatch(out);
    this.pending.length = 0;
    this.skipLF = false;
    this.atStart = true;
    this.lastEventId = null;
  }

  /** processLine(text.slice(start, end)), without making the line for a "data:" line (one string a chunk less). */
  private processRange(text: string, start: number, end: number, out: SseSink): void {
    const len = end - start;
    if (len >= 5 && text.charCodeAt(start) === 100 /* d */ && text.charCodeAt(start + 4) === COLON && text.startsWith("data", start)) {
      this.addData(text.slice(start + (len > 5 && text.charCodeAt(start + 5) === SPACE ? 6 : 5), end));
      return;
    }
    this.processLine(text.slice(start, end), out);
  }

  private processLine(line: string, out: SseSink): void {
    const len = line.length;
    if (len === 0) {
      this.dispatch(out);
      return;
    }
    const c0 = line.charCodeAt(0);
    if (c0 === COLON) return; // comment
    // Fast path for the overwhelmingly common "data:" line.
    if (c0 === 100 /* d */ && len >= 5 && line.charCodeAt(4) === COLON && line.startsWith("data")) {
      this.addData(line.charCodeAt(5) === SPACE ? line.slice(6) : line.slice(5));
      return;
    }
    const colon = line.indexOf(":");
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = "";
    } else {
      field = line.slice(0, colon);
      value = line.slice(line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1);
    }
    switch (field) {
      case "data":
        this.addData(value);
        break;
      case "event":
        this.eventType = value;
        break;
      case "id":
        if (value.indexOf("\0") === -1) this.lastEventId = value;
        break;
      default:
        // "retry" and unknown fields: ignored.
        break;
    }
  }

  private addData(value: string): void {
    this.data = this.dataLines === 0 ? value : this.data + "\n" + value;
    this.dataLines++;
  }

  private dispatch(out: SseSink): void {
    if (this.dataLines > 0) {
      const ev = this.current;
      ev.event = this.eventType === "" ? "message" : this.eventType;
      ev.data = this.data;
      ev.id = this.lastEventId;
      out.onEvent(ev);
    }
    this.data = "";
    this.dataLines = 0;
    this.eventType = "";
  }
}
