import { describe, expect, test } from "vitest";
import { consoleBaseUrl, renderWebhookBody, type StoredEvent } from "./webhook-payload";
import { signWebhookBody, verifyWebhookSignature } from "./webhook-signature";

const EVENT: StoredEvent = {
  type: "flag.expiring",
  projectId: "p1",
  title: "Flag old-banner expires on 2026-12-01 (in 6 days)",
  summary: "",
  actorLabel: "system:scheduler",
  data: { flagKey: "old-banner" },
  occurredAt: "2026-11-25T00:00:00.000Z",
};

describe("renderWebhookBody", () => {
  test("json without a link or environment says null, not undefined", () => {
    expect(JSON.parse(renderWebhookBody("json", "d1", EVENT, "https://x.test"))).toEqual({
      id: "d1",
      type: "flag.expiring",
      occurredAt: "2026-11-25T00:00:00.000Z",
      projectId: "p1",
      environmentKey: null,
      title: EVENT.title,
      summary: "",
      url: null,
      actor: "system:scheduler",
      data: { flagKey: "old-banner" },
    });
  });

  test("slack without a link has a plain bold title and no dangling summary line", () => {
    const message = JSON.parse(renderWebhookBody("slack", "d1", EVENT, "https://x.test"));
    expect(message.text).toBe(`${EVENT.title} — by system:scheduler`);
    expect(message.blocks[0].text.text).toBe(`*${EVENT.title}*`);
    expect(message.blocks[1].elements[0].text).toBe("flag.expiring · by system:scheduler");
  });

  test("links join NEXTAUTH_URL without a double slash", () => {
    const body = JSON.parse(renderWebhookBody("json", "d1", { ...EVENT, link: "/shop" }, consoleBaseUrl({ NEXTAUTH_URL: "https://x.test/" })));
    expect(body.url).toBe("https://x.test/shop");
  });
});

describe("signWebhookBody", () => {
  test("is HMAC-SHA256 over timestamp.body (a known vector) and verification is strict", () => {
    // echo -n '1700000000.{}' | openssl dgst -sha256 -hmac whsec_test
    const signature = signWebhookBody("whsec_test", "1700000000", "{}");
    expect(signature).toBe("sha256=35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91");
    expect(verifyWebhookSignature("whsec_test", "1700000000", "{}", signature)).toBe(true);
    expect(verifyWebhookSignature("whsec_test", "1700000001", "{}", signature)).toBe(false);
    expect(verifyWebhookSignature("whsec_test", "1700000000", "{}", signature.slice(0, -1))).toBe(false);
  });
});
