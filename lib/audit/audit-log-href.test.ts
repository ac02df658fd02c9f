import { describe, expect, test } from "vitest";
import { filtersFromSearch } from "@/app/(console)/[project]/[env]/audit/audit-query";
import { aroundMoment, auditLogHref } from "./audit-log-href";

describe("auditLogHref", () => {
  test("names the filters as the audit page reads them back, escaped, and leaves out the empty ones", () => {
    const href = auditLogHref("storefront", "production", { entityType: "change_request", entityKey: "#12", entry: "345", action: "" });
    expect(href).toBe("/storefront/production/audit?entityType=change_request&entityKey=%2312&entry=345");
    const search = new URL(href, "http://x").searchParams;
    expect(filtersFromSearch(search)).toMatchObject({ entityType: "change_request", entityKey: "#12", action: "" });
    expect(search.get("entry")).toBe("345");
  });

  test("without filters it is the page itself", () => {
    expect(auditLogHref("a b", "dev", {})).toBe("/a%20b/dev/audit");
  });
});

test("aroundMoment is a minute either side", () => {
  expect(aroundMoment("2026-11-25T10:00:00.000Z")).toEqual({ from: "2026-11-25T09:59:00.000Z", to: "2026-11-25T10:01:00.000Z" });
});
