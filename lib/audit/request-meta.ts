import { randomUUID } from "node:crypto";

/** Where a change came from, as stored in `audit_events.requestMeta`. */
export interface RequestMeta {
  /** The client address: the first X-Forwarded-For hop (Next sets it from the socket when no proxy did). */
  ip: string | null;
  userAgent: string | null;
  /** The caller's X-Request-Id when it sent a sane one (to correlate with its logs), else a new UUID. */
  requestId: string;
}

/** Header values are attacker-chosen: keep them short so one request cannot bloat the audit log. */
const MAX_LENGTH = 512;
const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

function clip(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, MAX_LENGTH) : null;
}

/** Reads the metadata of a request (a route's `Request`, or `await headers()` in a server action). */
export function requestMetaFrom(headers: Pick<Headers, "get">): RequestMeta {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0];
  const given = headers.get("x-request-id")?.trim();
  return {
    ip: clip(forwarded) ?? clip(headers.get("x-real-ip")),
    userAgent: clip(headers.get("user-agent")),
    requestId: given && REQUEST_ID.test(given) ? given : randomUUID(),
  };
}
