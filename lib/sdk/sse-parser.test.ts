import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SseParser, type SseEvent } from "./sse-parser";

function parse(chunks: (string | Uint8Array)[], initialId = "") {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const p = new SseParser(
    { onEvent: (e) => events.push(e), onComment: (c) => comments.push(c), onRetry: (ms) => retries.push(ms) },
    initialId,
  );
  for (const c of chunks) p.push(c);
  p.end();
  return { events, comments, retries, lastEventId: p.currentLastEventId };
}

describe("SseParser", () => {
  it.each([
    ["LF", "\n"],
    ["CRLF", "\r\n"],
    ["CR", "\r"],
  ])("parses id, event and multi-line data with %s line endings", (_name, eol) => {
    const text = ["id: 7", "event: put", "data: {\"a\":", "data:1}", "", ": heartbeat", "", "data: x", "", ""].join(eol);
    const { events, comments } = parse([text]);
    expect(events).toEqual([
      { type: "put", data: '{"a":\n1}', lastEventId: "7" },
      { type: "message", data: "x", lastEventId: "7" },
    ]);
    expect(comments).toEqual(["heartbeat"]);
  });

  it("removes exactly one space after the colon and accepts fields without a colon", () => {
    const { events } = parse(["data:  two spaces\ndata\n\n"]);
    expect(events).toEqual([{ type: "message", data: " two spaces\n", lastEventId: "" }]);
  });

  it("does not dispatch events without data, drops an unterminated last event, keeps ids across events", () => {
    const { events, lastEventId } = parse(["id: 3\nevent: put\n\ndata: a\n\nid: 4\ndata: unterminated\n"]);
    expect(events).toEqual([{ type: "message", data: "a", lastEventId: "3" }]);
    expect(lastEventId).toBe("4");
  });

  it("ignores ids containing NUL, unknown fields and non-numeric retry; reports numeric retry", () => {
    const { events, retries } = parse(["id: 1\n\nid: a\u0000b\nfoo: bar\nretry: 12x\nretry: 2500\ndata: d\n\n"]);
    expect(events).toEqual([{ type: "message", data: "d", lastEventId: "1" }]);
    expect(retries).toEqual([2500]);
  });

  it("skips a leading byte-order mark and resumes from an initial Last-Event-ID", () => {
    const { events } = parse(["\uFEFFdata: a\n\n"], "41");
    expect(events).toEqual([{ type: "message", data: "a", lastEventId: "41" }]);
  });

  it("handles a CR at the end of one chunk and the LF at the start of the next as one line break", () => {
    const { events } = parse(["data: a\r", "\n\r", "\ndata: b\r\n\r\n"]);
    expect(events.map((e) => e.data)).toEqual(["a", "b"]);
  });

  it("decodes multi-byte UTF-8 characters split across chunks", () => {
    const bytes = new TextEncoder().encode("event: patch\ndata: {\"k\":\"café – 🚀\"}\n\n");
    const chunks = [...bytes].map((b) => Uint8Array.of(b));
    const { events } = parse(chunks);
    expect(events).toEqual([{ type: "patch", data: '{"k":"café – 🚀"}', lastEventId: "" }]);
  });

  it("parses a long data line delivered in many small chunks", () => {
    const big = "x".repeat(200_000);
    const text = `data: ${big}\n\n`;
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 1000) chunks.push(text.slice(i, i + 1000));
    expect(parse(chunks).events[0].data.length).toBe(200_000);
  });

  it("yields the same events however the byte stream is chunked (property)", () => {
    const line = fc.constantFrom("id: 12", "event: put", "event: patch", "data: {\"x\": 1}", "data: é🚀", ": hb", "retry: 10", "data", "");
    const eol = fc.constantFrom("\n", "\r\n", "\r");
    const doc = fc.array(fc.tuple(line, eol), { maxLength: 30 }).map((ls) => ls.map(([l, e]) => l + e).join("") + "\n\n");
    fc.assert(
      fc.property(doc, fc.array(fc.nat(), { maxLength: 10 }), (text, cuts) => {
        const bytes = new TextEncoder().encode(text);
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          chunks.push(bytes.slice(prev, p));
          prev = p;
        }
        expect(parse(chunks)).toEqual(parse([bytes]));
      }),
      { numRuns: 300 },
    );
  });
});
