import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { AUDIT_GENESIS_HASH, canonicalJson, computeAuditHash, verifyAuditChain } from "./hash-chain";

describe("canonicalJson", () => {
  test.each([
    [{ b: 1, a: 2 }, `{"a":2,"b":1}`],
    [{ a: { d: [3, { y: 1, x: 2 }], c: null } }, `{"a":{"c":null,"d":[3,{"x":2,"y":1}]}}`],
    [{ a: undefined, b: 1 }, `{"b":1}`],
    [[undefined, -0, Number.NaN, Infinity], `[null,0,null,null]`],
    [{ at: new Date("2026-01-02T03:04:05.006Z") }, `{"at":"2026-01-02T03:04:05.006Z"}`],
    [12n, `"12"`],
    [undefined, "null"],
    ["ü\u2028", `"ü\u2028"`],
  ])("case %# → %s", (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  test("refuses circular structures", () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => canonicalJson(a)).toThrow(/circular/);
  });
});

const event = {
  actorType: "user" as const,
  actorId: "u1",
  actorLabel: "Eli Editor",
  action: "flag_config.updated",
  entityType: "flag",
  entityKey: "new-search",
  createdAt: new Date("2026-11-24T12:00:00.000Z"),
};

describe("computeAuditHash", () => {
  test("is sha256 over the previous hash and the canonical content, absent fields as null", () => {
    const content =
      `{"action":"flag_config.updated","actorId":"u1","actorLabel":"Eli Editor","actorType":"user","after":null,` +
      `"before":null,"changeRequestId":null,"createdAt":"2026-11-24T12:00:00.000Z","diff":null,"entityKey":"new-search",` +
      `"entityType":"flag","environmentId":null,"projectId":null,"reason":null,"requestMeta":null}`;
    const expected = createHash("sha256").update(`${AUDIT_GENESIS_HASH}\n${content}`).digest("hex");
    expect(computeAuditHash(AUDIT_GENESIS_HASH, event)).toBe(expected);
  });

  test("does not depend on key order, undefined members or the time's representation", () => {
    const a = computeAuditHash("x", { ...event, after: { b: 1, a: 2 } });
    const b = computeAuditHash("x", { ...event, after: { a: 2, b: 1, c: undefined }, createdAt: event.createdAt.toISOString() });
    expect(a).toBe(b);
    expect(computeAuditHash("y", event)).not.toBe(computeAuditHash("x", event));
  });
});

describe("verifyAuditChain", () => {
  function chain(n: number) {
    const rows = [];
    let prevHash = AUDIT_GENESIS_HASH;
    for (let i = 1; i <= n; i++) {
      const row = { ...event, id: BigInt(i), entityKey: `flag-${i}`, prevHash, hash: "" };
      row.hash = computeAuditHash(prevHash, row);
      prevHash = row.hash;
      rows.push(row);
    }
    return rows;
  }

  test("accepts an intact chain", () => {
    expect(verifyAuditChain(chain(5))).toMatchObject({ ok: true, checked: 5 });
    expect(verifyAuditChain([])).toEqual({ ok: true, checked: 0, lastHash: AUDIT_GENESIS_HASH });
  });

  test("reports the first edited, deleted or reordered row", () => {
    const edited = chain(5);
    edited[2] = { ...edited[2], actorLabel: "Mallory" };
    expect(verifyAuditChain(edited)).toMatchObject({ ok: false, brokenAt: "3", reason: "hash", checked: 2 });

    const deleted = chain(5);
    deleted.splice(1, 1);
    expect(verifyAuditChain(deleted)).toMatchObject({ ok: false, brokenAt: "3", reason: "prev_hash" });

    const swapped = chain(4);
    [swapped[1], swapped[2]] = [swapped[2], swapped[1]];
    expect(verifyAuditChain(swapped)).toMatchObject({ ok: false, brokenAt: "3", reason: "prev_hash" });
  });
});
