import { describe, expect, test } from "vitest";
import { blockedHostReason, isPrivateAddress } from "./ssrf-guard";

describe("isPrivateAddress", () => {
  test.each(["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "224.0.0.1"])(
    "%s is private",
    (address) => expect(isPrivateAddress(address)).toBe(true),
  );
  test.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("%s is public", (address) => expect(isPrivateAddress(address)).toBe(false));
});

describe("blockedHostReason", () => {
  test("refuses loopback and metadata literals, names resolving to loopback, and allows them with the flag", async () => {
    expect(await blockedHostReason("http://127.0.0.1:8080/hook", {})).toMatch(/private or local/);
    expect(await blockedHostReason("http://169.254.169.254/latest", {})).toMatch(/private or local/);
    expect(await blockedHostReason("http://[::1]/hook", {})).toMatch(/private or local/);
    expect(await blockedHostReason("http://localhost/hook", {})).toMatch(/private or local/);
    expect(await blockedHostReason("http://127.0.0.1/hook", { WEBHOOK_ALLOW_PRIVATE: "1" })).toBeNull();
  });
  test("a public literal passes", async () => {
    expect(await blockedHostReason("https://8.8.8.8/hook", {})).toBeNull();
  });
});
