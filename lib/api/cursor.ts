import { fieldsInvalid } from "@/lib/errors";

/**
 * Keyset-pagination cursors: the sort key of a page's last row, base64url-encoded so clients
 * treat it as opaque (and keys with any characters survive query strings).
 */
export function encodeCursor(lastKey: string): string {
  return Buffer.from(JSON.stringify({ k: lastKey }), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (parsed && typeof parsed === "object" && typeof (parsed as { k?: unknown }).k === "string") return (parsed as { k: string }).k;
  } catch {
    // falls through to the error below
  }
  throw fieldsInvalid({ cursor: "This cursor is not one this API handed out; start again without it." });
}
