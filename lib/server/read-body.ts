import type http from "node:http";

/**
 * A Node request's body as UTF-8 text, read in full (small JSON bodies), or null past maxBytes.
 * Decoded as `Request.text()` does: invalid bytes become U+FFFD and a leading BOM is dropped.
 */
export async function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return null;
    chunks.push(chunk as Buffer);
  }
  const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
