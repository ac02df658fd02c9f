import { describe, expect, test } from "vitest";
import { keepCompatibleValues, mergeValues, parseMany, parseValue, splitPasted, valueKind } from "./values";

describe("valueKind: the input that fits the attribute and operator", () => {
  test.each([
    ["string", "in", ["free", "pro"], "allowed"],
    ["string", "in", undefined, "text"],
    ["string", "matches", undefined, "regex"],
    ["string", "inCidr", undefined, "cidr"],
    ["number", "gt", undefined, "number"],
    ["number", "in", undefined, "number"],
    ["boolean", "equals", undefined, "boolean"],
    ["semver", "semverGte", undefined, "semver"],
    ["semver", "in", undefined, "semver"],
    ["date", "before", undefined, "date"],
    ["string", "exists", undefined, "none"],
    ["string", "inSegment", undefined, "segments"],
  ] as const)("%s %s → %s", (type, op, allowed, kind) => {
    expect(valueKind(type, op, allowed as never)).toBe(kind);
  });
});

describe("parseValue validates as you type", () => {
  test("numbers", () => {
    expect(parseValue("19.99", "number")).toEqual({ ok: true, value: 19.99 });
    expect(parseValue(" 42 ", "number")).toEqual({ ok: true, value: 42 });
    expect(parseValue("4x", "number")).toMatchObject({ ok: false, error: expect.stringContaining("not a number") });
  });

  test("versions", () => {
    expect(parseValue("5.1.0", "semver")).toEqual({ ok: true, value: "5.1.0" });
    expect(parseValue("2.0.0-beta.1", "semver")).toMatchObject({ ok: true });
    expect(parseValue("5.1", "semver")).toMatchObject({ ok: false, error: expect.stringContaining("not a version") });
  });

  test("dates", () => {
    expect(parseValue("2026-03-01", "date")).toEqual({ ok: true, value: "2026-03-01" });
    expect(parseValue("2026-03-01T09:00:00Z", "date")).toMatchObject({ ok: true });
    expect(parseValue("2026-13-45", "date")).toMatchObject({ ok: false });
    expect(parseValue("next tuesday", "date")).toMatchObject({ ok: false, error: expect.stringContaining("not a date") });
  });

  test("patterns are checked with the engine's safety rules", () => {
    expect(parseValue("^user-\\d+$", "regex")).toMatchObject({ ok: true });
    expect(parseValue("(unclosed", "regex")).toMatchObject({ ok: false, error: expect.stringContaining("not a valid regular expression") });
    expect(parseValue("(a+)+$", "regex")).toMatchObject({ ok: false });
  });

  test("networks, booleans and text", () => {
    expect(parseValue("10.0.0.0/8", "cidr")).toMatchObject({ ok: true });
    expect(parseValue("10.0.0.0/99", "cidr")).toMatchObject({ ok: false });
    expect(parseValue("true", "boolean")).toEqual({ ok: true, value: true });
    expect(parseValue("  hello ", "text")).toEqual({ ok: true, value: "hello" });
    expect(parseValue("   ", "text")).toMatchObject({ ok: false });
  });
});

describe("pasting many values", () => {
  test("splits lines, commas, semicolons and tabs; drops blanks and repeats", () => {
    expect(splitPasted("user-1\nuser-2, user-3;user-1\t\tuser-4\r\n\n")).toEqual(["user-1", "user-2", "user-3", "user-4"]);
  });

  test("patterns split on lines only (commas belong to the pattern)", () => {
    expect(splitPasted("^a{1,3}$\n^b$", "regex")).toEqual(["^a{1,3}$", "^b$"]);
  });

  test("parseMany keeps the good entries and reports the others", () => {
    const { values, errors } = parseMany("1.0.0, 2.x, 3.1.4", "semver");
    expect(values).toEqual(["1.0.0", "3.1.4"]);
    expect(errors).toHaveLength(1);
  });

  test("merging never duplicates", () => {
    expect(mergeValues(["a", 1], ["1", "b", "a"])).toEqual(["a", 1, "b"]);
  });

  test("changing operator keeps the values that still fit", () => {
    expect(keepCompatibleValues(["1.0.0", "x"], "semver")).toEqual(["1.0.0"]);
    expect(keepCompatibleValues(["pro", "gold"], "allowed", ["free", "pro"])).toEqual(["pro"]);
    expect(keepCompatibleValues(["a"], "none")).toEqual([]);
  });
});
