/**
 * An incremental Server-Sent Events parser following the WHATWG "event stream interpretation"
 * rules, so that real servers and proxies work however they frame and chunk the stream:
 * - lines end in LF, CRLF or a lone CR, and a chunk may end between the CR and the LF;
 * - a chunk may end anywhere, including inside a multi-byte UTF-8 character (TextDecoder in
 *   streaming mode keeps the partial bytes);
 * - a leading byte-order mark is skipped;
 * - `data:` lines accumulate with "\n" between them; one space after the colon is removed;
 * - `id:` persists across events (it is the stream's last event id) and is ignored if it
 *   contains NUL; `retry:` with digits only sets the reconnection delay;
 * - lines starting with ":" are comments (heartbeats); unknown fields are ignored;
 * - an event whose data buffer is empty is not dispatched; an unterminated event at the end of
 *   the stream is discarded.
 */

export interface SseEvent {
  /** `event:` field, or "message" when absent. */
  type: string;
  data: string;
  /** The stream's last event id after this event ("" if none was ever set). */
  lastEventId: string;
}

export interface SseHandlers {
  onEvent(event: SseEvent): void;
  /** Comment lines (`: heartbeat`), without the leading colon. */
  onComment?(text: string): void;
  /** A valid `retry:` field, in milliseconds. */
  onRetry?(ms: number): void;
}

export class SseParser {
  private readonly decoder = new TextDecoder("utf-8");
  private buffer = "";
  /** Where to resume looking for a line break in `buffer` (avoids rescanning long lines). */
  private scanFrom = 0;
  /** The previous chunk ended with CR: a LF at the start of the next one belongs to it. */
  private pendingCr = false;
  private sawFirstChunk = false;
  private data: string[] = [];
  private eventType = "";
  private lastEventId = "";

  constructor(
    private readonly handlers: SseHandlers,
    initialLastEventId = "",
  ) {
    this.lastEventId = initialLastEventId;
  }

  get currentLastEventId(): string {
    return this.lastEventId;
  }

  /** Feed raw bytes (or already-decoded text). */
  push(chunk: Uint8Array | string): void {
    let text = typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    if (text === "") return;
    if (!this.sawFirstChunk) {
      this.sawFirstChunk = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.pendingCr) {
      this.pendingCr = false;
      if (text.charCodeAt(0) === 10) text = text.slice(1);
    }
    this.buffer += text;
    this.drainLines();
  }

  /** The stream ended: whatever was not terminated by a blank line is dropped (per the spec). */
  end(): void {
    this.buffer = "";
    this.scanFrom = 0;
    this.data = [];
    this.eventType = "";
    this.pendingCr = false;
  }

  private drainLines(): void {
    const buf = this.buffer;
    let start = 0;
    let i = this.scanFrom;
    const n = buf.length;
    while (i < n) {
      const c = buf.charCodeAt(i);
      if (c !== 10 && c !== 13) {
        i++;
        continue;
      }
      this.processLine(buf.slice(start, i));
      if (c === 13) {
        if (i + 1 < n) {
          if (buf.charCodeAt(i + 1) === 10) i++;
        } else {
          this.pendingCr = true;
        }
      }
      i++;
      start = i;
    }
    this.buffer = start === 0 ? buf : buf.slice(start);
    this.scanFrom = this.buffer.length;
  }

  private processLine(line: string): void {
    if (line === "") {
      this.dispatch();
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) {
      this.handlers.onComment?.(line.slice(1).replace(/^ /, ""));
      return;
    }
    const colon = line.indexOf(":");
    let field: string;
    let value: string;
    if (colon < 0) {
      field = line;
      value = "";
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case "event":
        this.eventType = value;
        break;
      case "data":
        this.data.push(value);
        break;
      case "id":
        if (!value.includes("\u0000")) this.lastEventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.handlers.onRetry?.(Number(value));
        break;
      default:
        break;
    }
  }

  private dispatch(): void {
    const data = this.data;
    const type = this.eventType;
    this.data = [];
    this.eventType = "";
    if (data.length === 0) return;
    this.handlers.onEvent({ type: type === "" ? "message" : type, data: data.join("\n"), lastEventId: this.lastEventId });
  }
}
