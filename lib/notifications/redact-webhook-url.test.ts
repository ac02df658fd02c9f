import { describe, expect, test } from "vitest";
import { redactWebhookUrl } from "./redact-webhook-url";

describe("redactWebhookUrl", () => {
  test("keeps the origin and hides the path and query that may hold a secret", () => {
    const redacted = redactWebhookUrl("https://hooks.slack.com/services/T000/B000/XXXXSECRET?token=abc");
    expect(redacted).toMatch(/^https:\/\/hooks\.slack\.com\/… \(#[0-9a-f]{8}\)$/);
    expect(redacted).not.toContain("SECRET");
    expect(redacted).not.toContain("abc");
  });

  test("a changed path changes the fingerprint; the same URL keeps it", () => {
    const a = redactWebhookUrl("https://example.com/hook/one");
    expect(redactWebhookUrl("https://example.com/hook/one")).toBe(a);
    expect(redactWebhookUrl("https://example.com/hook/two")).not.toBe(a);
  });

  test("an unparsable URL says so", () => {
    expect(redactWebhookUrl("not a url")).toBe("(invalid URL)");
  });
});
