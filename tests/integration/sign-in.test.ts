import bcrypt from "bcryptjs";
import { beforeAll, describe, expect, test } from "vitest";
import { SIGN_IN_LIMITS, verifyCredentials } from "@/lib/auth/verify-credentials";
import { getPrisma } from "@/lib/db";
import { withAppDatabase } from "./helpers/app-database";

withAppDatabase();

const EMAIL = "signin@example.test";

beforeAll(async () => {
  await getPrisma().user.create({ data: { email: EMAIL, name: "Sign In", passwordHash: await bcrypt.hash("right password", 4) } });
});

describe("verifyCredentials", () => {
  test("accepts the right password, case-insensitive email", async () => {
    const result = await verifyCredentials("  SignIn@Example.TEST ", "right password", "10.0.0.1");
    expect(result).toMatchObject({ ok: true, user: { email: EMAIL } });
  });

  test("a wrong password and an unknown account get the same message", async () => {
    const wrong = await verifyCredentials(EMAIL, "wrong", "10.0.0.2");
    const unknown = await verifyCredentials("nobody@example.test", "whatever", "10.0.0.2");
    expect(wrong).toEqual({ ok: false, reason: "invalid", message: "Wrong email or password." });
    expect(unknown).toEqual(wrong);
  });

  test("an account is locked after repeated failures, even with the right password", async () => {
    const email = "locked@example.test";
    await getPrisma().user.create({ data: { email, name: "Locked", passwordHash: await bcrypt.hash("pw", 4) } });
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++) {
      expect((await verifyCredentials(email, `bad-${i}`, `10.1.0.${i}`)).ok).toBe(false);
    }
    const result = await verifyCredentials(email, "pw", "10.1.1.1");
    expect(result).toMatchObject({ ok: false, reason: "rate_limited" });
    // Once the window has passed, the right password works again.
    const later = new Date(Date.now() + (SIGN_IN_LIMITS.windowMinutes + 1) * 60_000);
    expect(await verifyCredentials(email, "pw", "10.1.1.1", later)).toMatchObject({ ok: true });
  });

  test("one address failing against many accounts is throttled", async () => {
    const ip = "10.2.0.1";
    for (let i = 0; i < SIGN_IN_LIMITS.perIp; i++) await verifyCredentials(`spray-${i}@example.test`, "x", ip);
    expect(await verifyCredentials(EMAIL, "right password", ip)).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(await verifyCredentials(EMAIL, "right password", "10.2.0.2")).toMatchObject({ ok: true });
  });
});
