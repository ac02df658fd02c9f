import { expect, test } from "vitest";
import { requestMetaFrom } from "./request-meta";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test("the first forwarded hop is the client; user agent and a sane request id are kept", () => {
  expect(requestMetaFrom(new Headers({ "x-forwarded-for": " 203.0.113.7 , 10.0.0.2", "user-agent": "curl/8", "x-request-id": "abc-123:xyz" }))).toEqual({
    ip: "203.0.113.7",
    userAgent: "curl/8",
    requestId: "abc-123:xyz",
  });
  expect(requestMetaFrom(new Headers({ "x-real-ip": "198.51.100.1" })).ip).toBe("198.51.100.1");
});

test("absent headers are null; an unusable request id is replaced by a fresh UUID", () => {
  const meta = requestMetaFrom(new Headers());
  expect(meta).toMatchObject({ ip: null, userAgent: null });
  expect(meta.requestId).toMatch(UUID);
  for (const given of ["has spaces", "<script>", "x".repeat(129), ""]) {
    expect(requestMetaFrom(new Headers({ "x-request-id": given })).requestId).toMatch(UUID);
  }
});

test("long header values are clipped so one request cannot bloat the log", () => {
  expect(requestMetaFrom(new Headers({ "user-agent": "a".repeat(10_000) })).userAgent).toHaveLength(512);
});
